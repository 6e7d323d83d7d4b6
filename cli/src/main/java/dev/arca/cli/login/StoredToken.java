// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An access token obtained by {@code arca login}, with what a person needs to see about it: who,
 * which roles, which issuer, until when. Immutable; {@link #toString()} never prints the token.
 */
public final class StoredToken {
  private final String issuer;
  private final String accessToken;
  private final Instant expiresAt;
  private final String subject;
  private final List<String> roles;
  private final Refresh refresh;

  /**
   * What renews the access token without the person: the OAuth 2.0 client it was issued to and the
   * refresh token (RFC 6749 section 6). The refresh token is a secret like the access token.
   */
  public record Refresh(String clientId, String refreshToken) {
    public Refresh {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
      return "Refresh[" + clientId + ", refreshToken=<redacted>]";
    }
  }

  /** A token that cannot be refreshed (a client-credentials grant logs in again instead). */
  public StoredToken(
      String issuer, String accessToken, Instant expiresAt, String subject, List<String> roles) {
    this(issuer, accessToken, expiresAt, subject, roles, null);
  }

  /** A token with its refresh grant, or {@code refresh} null for none. */
  public StoredToken(
      String issuer,
      String accessToken,
      Instant expiresAt,
      String subject,
      List<String> roles,
      Refresh refresh) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.roles = List.copyOf(roles);
    this.refresh = refresh;
  }

  /** How to renew this token, if the provider issued a refresh token. */
  public Optional<Refresh> refresh() {
    return Optional.ofNullable(refresh);
  }

  /** The OpenID issuer (Keycloak realm URL). */
  public String issuer() {
    return issuer;
  }

  /** The bearer token. A secret: never print or log it. */
  public String accessToken() {
    return accessToken;
  }

  /** When the token stops being accepted. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The user name or client id the token was issued to. */
  public String subject() {
    return subject;
  }

  /** Realm roles in the token. */
  public List<String> roles() {
    return roles;
  }

  /** Whether the token is expired at {@code now} (with 10 s of slack for clock skew). */
  public boolean expiredAt(Instant now) {
    return !now.plusSeconds(10).isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "StoredToken[" + subject + " " + roles + " until " + expiresAt + ", token=<redacted>]";
  }
}
