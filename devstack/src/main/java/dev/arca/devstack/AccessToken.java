// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An OAuth 2.0 bearer access token issued by Keycloak, with its JWT payload decoded for display and
 * assertions. The payload is NOT verified here: the service verifies the token against the realm's
 * keys; this class only reads what Keycloak just sent over loopback. Immutable; {@link #toString()}
 * never prints the token.
 */
public final class AccessToken {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bearer;
  private final Duration expiresIn;
  private final JsonNode claims;

  private AccessToken(String bearer, Duration expiresIn, JsonNode claims) {
    this.bearer = bearer;
    this.expiresIn = expiresIn;
    this.claims = claims;
  }

  /**
   * Reads a compact JWS access token.
   *
   * @throws DevStackException {@code devstack.token-refused} if it is not a three-part JWT with a
   *     JSON payload
   */
  static AccessToken parse(String bearer, Duration expiresIn) throws DevStackException {
    String[] parts = bearer.split("\\.", -1);
    if (parts.length != 3) {
      throw new DevStackException(
          DevStackException.TOKEN_REFUSED, "the access token is not a compact JWT");
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
      JsonNode claims = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
      if (claims == null || !claims.isObject()) {
        throw new DevStackException(
            DevStackException.TOKEN_REFUSED, "the access token payload is not a JSON object");
      }
      return new AccessToken(bearer, expiresIn, claims);
    } catch (IllegalArgumentException | IOException e) {
      throw new DevStackException(
          DevStackException.TOKEN_REFUSED, "the access token payload is not base64url JSON", e);
    }
  }

  /** The token, for an {@code Authorization: Bearer} header. A secret: never log it. */
  public String bearer() {
    return bearer;
  }

  /** {@code Authorization} header value: {@code Bearer <token>}. */
  public String authorizationHeader() {
    return "Bearer " + bearer;
  }

  /** Lifetime Keycloak stated when issuing it ({@code expires_in}). */
  public Duration expiresIn() {
    return expiresIn;
  }

  /** The decoded, unverified JWT payload (a copy). */
  public JsonNode claims() {
    return claims.deepCopy();
  }

  /** {@code preferred_username}, or empty. */
  public String username() {
    return claims.path("preferred_username").asText("");
  }

  /** The realm roles in {@code realm_access.roles}, in token order. */
  public List<String> realmRoles() {
    List<String> roles = new ArrayList<>();
    claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
    return List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "AccessToken[user=" + username() + ", roles=" + realmRoles() + ", bearer=<redacted>]";
  }
}
