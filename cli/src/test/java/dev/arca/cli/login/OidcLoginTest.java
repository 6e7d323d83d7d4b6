// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect Discovery as {@code arca login} uses it, against a provider served here: the
 * endpoints come from the discovery document, which must name exactly the issuer asked for (a real
 * provider, Keycloak, is logged in to by e2e's {@code AdminCommandsTest}).
 */
class OidcLoginTest {
  private HttpServer server;
  private String base;
  private volatile String document;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/realms/arca/.well-known/openid-configuration",
        ex -> {
          byte[] body = document.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String metadata(String issuer, boolean deviceGrant) {
    return "{\"issuer\":\""
        + issuer
        + "\",\"authorization_endpoint\":\""
        + base
        + "/auth\",\"token_endpoint\":\""
        + base
        + "/token\","
        + (deviceGrant ? "\"device_authorization_endpoint\":\"" + base + "/device\"," : "")
        + "\"jwks_uri\":\""
        + base
        + "/jwks\",\"response_types_supported\":[\"code\"],"
        + "\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
  }

  @Test
  void theEndpointsComeFromTheProvidersDiscoveryDocument() throws Exception {
    document = metadata(base + "/realms/arca", true);
    OidcLogin login = new OidcLogin(base + "/realms/arca/", Clock.systemUTC());
    assertThat(login.provider().getTokenEndpointURI().toString()).isEqualTo(base + "/token");
    assertThat(login.provider().getDeviceAuthorizationEndpointURI().toString())
        .isEqualTo(base + "/device");
  }

  @Test
  void aDocumentNamingAnotherIssuerIsRefused() {
    // An impostor answering for the issuer URL with another provider's document.
    document = metadata("https://login.example.net/realms/arca", true);
    assertThatThrownBy(
            () ->
                new OidcLogin(base + "/realms/arca", Clock.systemUTC()).clientCredentials("c", "s"))
        .isInstanceOfSatisfying(
            LoginException.class,
            e -> {
              assertThat(e.id()).isEqualTo("login.refused");
              assertThat(e.getMessage()).contains("discovery document").contains("issuer");
            });
  }

  @Test
  void aProviderWithoutTheDeviceGrantSaysWhatToUseInstead() {
    document = metadata(base + "/realms/arca", false);
    assertThatThrownBy(
            () ->
                new OidcLogin(base + "/realms/arca", Clock.systemUTC())
                    .deviceAuthorization("arca-cli", p -> {}))
        .isInstanceOfSatisfying(
            LoginException.class,
            e -> {
              assertThat(e.id()).isEqualTo("login.refused");
              assertThat(e.getMessage()).contains("--client-secret-file");
            });
  }

  @Test
  void anIssuerWithNoProviderIsUnreachable() {
    assertThatThrownBy(
            () ->
                new OidcLogin(base + "/realms/other", Clock.systemUTC())
                    .clientCredentials("c", "s"))
        .isInstanceOfSatisfying(
            LoginException.class,
            e -> assertThat(e.id()).isIn("login.unreachable", "login.refused"));
  }
}
