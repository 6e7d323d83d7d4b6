// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Keycloak server started by {@link KeycloakLauncher}, ready to issue tokens. {@link #close()}
 * stops it (its supervisor also does, at the latest on JVM exit).
 */
public final class RunningKeycloak implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManagedProcess process;
  private final String baseUrl;
  private final List<String> realms;
  private final int managementPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RunningKeycloak(ManagedProcess process, String baseUrl, List<String> realms, int managementPort) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.realms = List.copyOf(realms);
    this.managementPort = managementPort;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The first imported realm's URL, the OIDC issuer: {@code <base>/realms/<name>}. */
  public String realmUrl() {
    return realmUrl(realms.get(0));
  }

  /** The URL of an imported realm, the OIDC issuer: {@code <base>/realms/<name>}. */
  public String realmUrl(String realm) {
    if (!realms.contains(realm)) {
      throw new IllegalArgumentException("realm " + realm + " was not imported; have " + realms);
    }
    return baseUrl + "/realms/" + realm;
  }

  /** Names of the imported realms, the default first. */
  public List<String> realms() {
    return realms;
  }

  /** The management interface ({@code /health/ready}, {@code /health/live}). */
  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  /** The supervised Keycloak process (pid, log file). */
  public ManagedProcess process() {
    return process;
  }

  /**
   * A token for a user of the default realm by the resource-owner password grant (the client must
   * allow direct access grants). For demos and tests only: people log in with the device
   * authorization grant.
   *
   * @param clientSecret null for a public client
   * @throws DevStackException {@code devstack.token-refused} with Keycloak's error (never the
   *     password), {@code devstack.interrupted}
   */
  public AccessToken passwordToken(
      String clientId, String clientSecret, String username, String password)
      throws DevStackException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", username);
    form.put("password", password);
    form.put("scope", "openid");
    return token(clientId, clientSecret, form, "user " + username);
  }

  /**
   * A token for a confidential client's service account (client-credentials grant).
   *
   * @throws DevStackException {@code devstack.token-refused}, {@code devstack.interrupted}
   */
  public AccessToken clientCredentialsToken(String clientId, String clientSecret)
      throws DevStackException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    return token(clientId, clientSecret, form, "client " + clientId);
  }

  /** Stops Keycloak and its process tree. Idempotent. */
  @Override
  public void close() {
    process.stop(ProcessSupervisor.DEFAULT_GRACE);
  }

  @Override
  public String toString() {
    return "Keycloak at " + baseUrl + " realms " + realms + " (" + process + ")";
  }

  private AccessToken token(
      String clientId, String clientSecret, Map<String, String> form, String who)
      throws DevStackException {
    form.put("client_id", clientId);
    if (clientSecret != null) {
      form.put("client_secret", clientSecret);
    }
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(realmUrl() + "/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DevStackException(
          DevStackException.TOKEN_REFUSED,
          "Keycloak at " + baseUrl + " did not answer a token request for " + who + ": " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException(
          DevStackException.INTERRUPTED, "interrupted while asking a token for " + who);
    }
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = JSON.createObjectNode();
    }
    if (response.statusCode() != 200 || !json.path("access_token").isTextual()) {
      throw new DevStackException(
          DevStackException.TOKEN_REFUSED,
          "Keycloak refused a token for "
              + who
              + ": HTTP "
              + response.statusCode()
              + " "
              + json.path("error").asText("")
              + " "
              + json.path("error_description").asText(""));
    }
    return AccessToken.parse(
        json.get("access_token").asText(), Duration.ofSeconds(json.path("expires_in").asLong()));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
