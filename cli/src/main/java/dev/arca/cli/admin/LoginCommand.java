// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import dev.arca.cli.ExitCode;
import dev.arca.cli.login.LoginException;
import dev.arca.cli.login.OidcLogin;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca login}: gets an access token from an OpenID provider (found by OpenID Connect
 * Discovery) and caches it per profile (owner-only file under {@code ~/.arca/tokens} or {@code
 * $ARCA_CONFIG_DIR/tokens}), with the refresh token that renews it; the token is never printed.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Log in to an OpenID provider and cache the token for later commands (never printed).",
      "Any provider OpenID Connect Discovery finds (Keycloak, Entra ID, Okta, ...); a",
      "person's token is renewed with its refresh token until the provider ends the session.",
      "People: the OIDC device authorization grant (open the URL shown, enter the code).",
      "Automation: --client-secret-file or $ARCA_CLIENT_SECRET for the client-credentials grant.",
      "Exit codes: 0 logged in, 1 refused or denied, 2 usage or unreachable."
    })
public final class LoginCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--issuer",
      paramLabel = "<url>",
      description =
          "The provider's issuer URL, e.g. http://127.0.0.1:8180/realms/arca for a Keycloak realm"
              + " (default: $ARCA_ISSUER).")
  String issuer;

  @Option(
      names = "--client-id",
      defaultValue = "arca-cli",
      description = "OIDC client (default ${DEFAULT-VALUE}; automation: arca-automation).")
  String clientId;

  @Option(
      names = "--client-secret-file",
      paramLabel = "<file>",
      description = "Use the client-credentials grant with the secret in this file.")
  Path secretFile;

  @Option(
      names = "--as",
      paramLabel = "<profile>",
      description = "Cache the token under this profile (default: $ARCA_PROFILE, else 'default').")
  String profile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String iss = issuer != null ? issuer : System.getenv("ARCA_ISSUER");
    if (iss == null || iss.isBlank()) {
      err.println("arca: say which OpenID provider: --issuer <issuer URL> (or set ARCA_ISSUER)");
      return ExitCode.USAGE;
    }
    String p = profile != null ? profile : System.getenv("ARCA_PROFILE");
    p = p == null || p.isBlank() ? "default" : p;
    OidcLogin login = new OidcLogin(iss, Clock.systemUTC());
    try {
      String secret = secret();
      StoredToken token;
      if (secret != null) {
        token = login.clientCredentials(clientId, secret);
      } else {
        token =
            login.deviceAuthorization(
                clientId,
                prompt -> {
                  out.println("Open " + prompt.verificationUriComplete());
                  out.println("and confirm the code " + prompt.userCode() + " (waiting...)");
                  out.flush();
                });
      }
      TokenStore.standard().save(p, token);
      out.println(
          "logged in as "
              + token.subject()
              + " with roles "
              + token.roles()
              + " until "
              + token.expiresAt()
              + " (profile "
              + p
              + ")");
      return ExitCode.OK;
    } catch (LoginException e) {
      err.println("arca: " + e.getMessage());
      return e.id().equals("login.unreachable") || e.id().equals("login.store")
          ? ExitCode.USAGE
          : ExitCode.FAILED;
    } catch (IOException e) {
      err.println("arca: cannot read the client secret: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.USAGE;
    }
  }

  private String secret() throws IOException {
    if (secretFile != null) {
      return Files.readString(secretFile).trim();
    }
    String env = System.getenv("ARCA_CLIENT_SECRET");
    return env == null || env.isBlank() ? null : env.trim();
  }
}
