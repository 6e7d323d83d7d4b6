// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import dev.arca.cli.adminapi.AdminClient;
import dev.arca.cli.login.Credentials;
import dev.arca.cli.login.LoginException;
import java.net.URI;
import java.time.Instant;
import picocli.CommandLine.Option;

/** Where the service is, whose cached token to send, and how to print: shared by admin commands. */
public final class ServiceOptions {
  @Option(
      names = "--service",
      paramLabel = "<url>",
      description = "Attestation service URL (default: $ARCA_SERVICE, else http://127.0.0.1:8080).")
  String service;

  @Option(
      names = "--as",
      paramLabel = "<profile>",
      description =
          "Use the token cached by 'arca login --as <profile>' (default: $ARCA_TOKEN for"
              + " automation, else the profile $ARCA_PROFILE or 'default').")
  String profile;

  @Option(names = "--json", description = "Print JSON (for scripts) instead of text.")
  boolean json;

  /** The service URL to use. */
  public URI serviceUrl() {
    return serviceUrl(service);
  }

  /** {@code explicit} (a {@code --service} value), else {@code $ARCA_SERVICE}, else loopback. */
  public static URI serviceUrl(String explicit) {
    String s = explicit != null ? explicit : System.getenv("ARCA_SERVICE");
    return URI.create(s != null && !s.isBlank() ? s : "http://127.0.0.1:8080");
  }

  /** Whether to print JSON. */
  public boolean json() {
    return json;
  }

  /**
   * A client carrying the token {@link Credentials} picks.
   *
   * @throws LoginException not logged in, or the token expired
   */
  public AdminClient client() throws LoginException {
    return new AdminClient(serviceUrl(), Credentials.standard().require(profile, Instant.now()));
  }
}
