// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens for the realm's test users, by password grant on the automation client. */
public final class Tokens {
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Tokens() {}

  /** A bearer token for {@code user} (password {@code <user>-pw}), cached for the run. */
  public static String of(String user) {
    return CACHE.computeIfAbsent(user, Tokens::fetch);
  }

  private static String fetch(String user) {
    return passwordGrant(
        KeycloakServer.shared().realmUrl(),
        "client_id=arca-automation&client_secret=arca-automation-secret",
        user,
        user + "-pw");
  }

  /**
   * A genuine token of {@link KeycloakServer#IMPOSTOR_REALM} for a user holding every Arca role:
   * signed by the same server, but another realm, key and issuer than the service trusts.
   */
  public static String impostorRealmAdmin() {
    return passwordGrant(
        KeycloakServer.shared().realmUrl(KeycloakServer.IMPOSTOR_REALM),
        "client_id=arca-automation&client_secret=arca-automation-secret",
        "device-admin",
        "device-admin-pw");
  }

  /**
   * A genuine token of the service's own realm for {@code user}, with the user's roles, issued to
   * another application of the realm ({@link KeycloakServer#OTHER_CLIENT}): it lacks the service's
   * audience.
   */
  public static String otherApplication(String user) {
    return passwordGrant(
        KeycloakServer.shared().realmUrl(),
        "client_id="
            + KeycloakServer.OTHER_CLIENT
            + "&client_secret="
            + KeycloakServer.OTHER_CLIENT_SECRET,
        user,
        user + "-pw");
  }

  private static String passwordGrant(String realm, String client, String user, String password) {
    String form =
        "grant_type=password&"
            + client
            + "&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "token for " + user + ": " + r.statusCode() + " " + r.body());
      }
      return new ObjectMapper().readTree(r.body()).get("access_token").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
