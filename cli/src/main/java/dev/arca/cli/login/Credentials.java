// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Which bearer token a service command sends, the same way for every command: a profile named with
 * {@code --as} (cached by {@code arca login --as <profile>}); else {@code $ARCA_TOKEN}, for
 * automation that obtains its own token; else the profile {@code $ARCA_PROFILE} or {@code default}.
 * A profile's token about to expire is renewed with its refresh token and saved again, so a person
 * logs in once per provider session, not once per access token. A token is never taken from a
 * command-line argument, where process listings and shell history would show it.
 */
public final class Credentials {
  /** The environment variable automation sets to a bearer token. */
  public static final String TOKEN_VARIABLE = "ARCA_TOKEN";

  /** How long before expiry a token is renewed, so it does not expire on the way. */
  private static final Duration RENEW_AHEAD = Duration.ofMinutes(1);

  /** Renews a token with its refresh grant ({@link OidcLogin#refresh} against its issuer). */
  @FunctionalInterface
  public interface Refresher {
    StoredToken refresh(StoredToken expiring) throws LoginException;
  }

  private final TokenStore store;
  private final Map<String, String> environment;
  private final Refresher refresher;

  /** Credentials from {@code store} and {@code environment} (tests pass their own). */
  public Credentials(TokenStore store, Map<String, String> environment, Refresher refresher) {
    this.store = store;
    this.environment = environment;
    this.refresher = refresher;
  }

  /**
   * The standard store ({@link TokenStore#standard()}), this process's environment, and refresh
   * against each token's own issuer.
   */
  public static Credentials standard() {
    return new Credentials(
        TokenStore.standard(),
        System.getenv(),
        t -> new OidcLogin(t.issuer(), Clock.systemUTC()).refresh(t));
  }

  /**
   * The token to send, required.
   *
   * @param profile the {@code --as} value, or null
   * @throws LoginException {@code login.missing} or {@code login.expired} naming the profile and
   *     the command to run
   */
  public String require(String profile, Instant now) throws LoginException {
    if (profile == null && hasToken()) {
      return environment.get(TOKEN_VARIABLE);
    }
    String p = profileOrDefault(profile);
    return TokenStore.usable(p, current(p, now), now).accessToken();
  }

  /**
   * The token to send when the command can also work without one (an auditor reading public tiles):
   * a profile named explicitly must hold a valid token; the default profile is used only when it
   * does.
   *
   * @throws LoginException for an explicit profile without a valid token, or an unreadable store
   */
  public Optional<String> find(String profile, Instant now) throws LoginException {
    if (profile != null) {
      return Optional.of(TokenStore.usable(profile, current(profile, now), now).accessToken());
    }
    if (hasToken()) {
      return Optional.of(environment.get(TOKEN_VARIABLE));
    }
    return current(profileOrDefault(null), now)
        .filter(t -> !t.expiredAt(now))
        .map(StoredToken::accessToken);
  }

  /**
   * {@code profile}'s cached token, read once; renewed (and saved) first when it expires within
   * {@link #RENEW_AHEAD} and can be renewed.
   */
  private Optional<StoredToken> current(String profile, Instant now) throws LoginException {
    Optional<StoredToken> t = store.load(profile);
    if (t.isPresent()
        && t.get().expiredAt(now.plus(RENEW_AHEAD))
        && t.get().refresh().isPresent()) {
      StoredToken renewed = refresher.refresh(t.get());
      store.save(profile, renewed);
      return Optional.of(renewed);
    }
    return t;
  }

  private boolean hasToken() {
    String t = environment.get(TOKEN_VARIABLE);
    return t != null && !t.isBlank();
  }

  private String profileOrDefault(String profile) {
    if (profile != null) {
      return profile;
    }
    String p = environment.get("ARCA_PROFILE");
    return p != null && !p.isBlank() ? p : "default";
  }
}
