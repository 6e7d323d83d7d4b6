// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Logs in against an OpenID provider (Keycloak realm): the OAuth 2.0 client-credentials grant for
 * automation (RFC 6749 section 4.4) and the device authorization grant for people at a terminal
 * (RFC 8628: show a code and a URL, poll until approved; with PKCE, RFC 7636). The token's payload
 * is read only to show who and which roles; the service verifies the signature.
 */
public final class OidcLogin {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the person must do to approve a device login (RFC 8628 section 3.2). */
  public record DevicePrompt(
      String verificationUri, String verificationUriComplete, String userCode) {}

  private final String issuer;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param issuer the realm URL, e.g. {@code http://127.0.0.1:8180/realms/arca}
   */
  public OidcLogin(String issuer, Clock clock) {
    this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.clock = clock;
  }

  /**
   * Client-credentials grant for a confidential client's service account.
   *
   * @throws LoginException {@code login.refused} (the provider's error, never the secret), {@code
   *     login.unreachable}
   */
  public StoredToken clientCredentials(String clientId, String clientSecret) throws LoginException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret);
    JsonNode n = post("/protocol/openid-connect/token", form);
    if (!n.path("access_token").isTextual()) {
      throw refused("client " + clientId, n);
    }
    return token(n);
  }

  /**
   * Device authorization grant: asks for a user code, tells {@code prompt} what to show, then polls
   * the token endpoint at the interval the provider asks until the person approves, denies, or the
   * code expires.
   *
   * @throws LoginException {@code login.denied}, {@code login.timeout}, {@code login.refused},
   *     {@code login.unreachable}
   */
  public StoredToken deviceAuthorization(String clientId, Consumer<DevicePrompt> prompt)
      throws LoginException, InterruptedException {
    // PKCE (RFC 7636) binds the token request to this process; the realm's CLI client requires it.
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge;
    try {
      challenge =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
    Map<String, String> start = new LinkedHashMap<>();
    start.put("client_id", clientId);
    start.put("scope", "openid");
    start.put("code_challenge", challenge);
    start.put("code_challenge_method", "S256");
    JsonNode auth = post("/protocol/openid-connect/auth/device", start);
    if (!auth.path("device_code").isTextual()) {
      throw refused("client " + clientId, auth);
    }
    prompt.accept(
        new DevicePrompt(
            auth.path("verification_uri").asText(),
            auth.path("verification_uri_complete").asText(auth.path("verification_uri").asText()),
            auth.path("user_code").asText()));
    long interval = Math.max(1, auth.path("interval").asLong(5));
    Instant deadline = clock.instant().plusSeconds(auth.path("expires_in").asLong(600));
    Map<String, String> poll = new LinkedHashMap<>();
    poll.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
    poll.put("client_id", clientId);
    poll.put("device_code", auth.path("device_code").asText());
    poll.put("code_verifier", verifier);
    while (clock.instant().isBefore(deadline)) {
      Thread.sleep(interval * 1000);
      JsonNode n = post("/protocol/openid-connect/token", poll);
      if (n.path("access_token").isTextual()) {
        return token(n);
      }
      String error = n.path("error").asText("");
      switch (error) {
        case "authorization_pending" -> {
          continue;
        }
        case "slow_down" -> {
          interval += 5;
          continue;
        }
        case "access_denied" ->
            throw new LoginException("login.denied", "the login was denied in the browser");
        case "expired_token" ->
            throw new LoginException("login.timeout", "the code expired; run arca login again");
        default -> throw refused("the device login", n);
      }
    }
    throw new LoginException("login.timeout", "the code expired; run arca login again");
  }

  private StoredToken token(JsonNode n) throws LoginException {
    String access = n.path("access_token").asText();
    String[] parts = access.split("\\.", -1);
    JsonNode claims;
    try {
      claims =
          parts.length == 3
              ? JSON.readTree(Base64.getUrlDecoder().decode(parts[1]))
              : JSON.createObjectNode();
    } catch (IOException | IllegalArgumentException e) {
      throw new LoginException("login.refused", "the provider answered a token that is not a JWT");
    }
    List<String> roles = new ArrayList<>();
    claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
    roles.removeIf(
        r ->
            r.startsWith("default-roles-")
                || r.equals("offline_access")
                || r.equals("uma_authorization"));
    String who = claims.path("preferred_username").asText(claims.path("azp").asText("unknown"));
    Instant expires = clock.instant().plusSeconds(n.path("expires_in").asLong(300));
    return new StoredToken(issuer, access, expires, who, roles);
  }

  private JsonNode post(String path, Map<String, String> form) throws LoginException {
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(issuer + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      JsonNode n = JSON.readTree(r.body());
      return n == null || !n.isObject() ? JSON.createObjectNode() : n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return JSON.createObjectNode();
    } catch (IOException e) {
      throw new LoginException(
          "login.unreachable",
          "no OpenID provider answers at " + issuer + "; check --issuer (" + e.getMessage() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoginException("login.unreachable", "interrupted while logging in");
    }
  }

  private static LoginException refused(String who, JsonNode n) {
    return new LoginException(
        "login.refused",
        "the provider refused "
            + who
            + ": "
            + n.path("error").asText("no token")
            + (n.path("error_description").isTextual()
                ? " (" + n.path("error_description").asText() + ")"
                : "")
            + "; check the client id, secret and realm");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
