// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Which bearer token a service command sends, the same way for every command: a profile named with
 * {@code --as} (cached by {@code arca login --as <profile>}); else {@code $ARCA_TOKEN}, for
 * automation that obtains its own token; else the profile {@code $ARCA_PROFILE} or {@code default}.
 * A token is never taken from a command-line argument, where process listings and shell history
 * would show it.
 */
public final class Credentials {
  /** The environment variable automation sets to a bearer token. */
  public static final String TOKEN_VARIABLE = "ARCA_TOKEN";

  private final TokenStore store;
  private final Map<String, String> environment;

  /** Credentials from {@code store} and {@code environment} (tests pass their own). */
  public Credentials(TokenStore store, Map<String, String> environment) {
    this.store = store;
    this.environment = environment;
  }

  /** The standard store ({@link TokenStore#standard()}) and this process's environment. */
  public static Credentials standard() {
    return new Credentials(TokenStore.standard(), System.getenv());
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
    return store.require(profileOrDefault(profile), now).accessToken();
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
      return Optional.of(store.require(profile, now).accessToken());
    }
    if (hasToken()) {
      return Optional.of(environment.get(TOKEN_VARIABLE));
    }
    return store
        .load(profileOrDefault(null))
        .filter(t -> !t.expiredAt(now))
        .map(StoredToken::accessToken);
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
