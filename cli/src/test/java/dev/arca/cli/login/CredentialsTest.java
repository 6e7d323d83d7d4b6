// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which token a service command sends: an explicit profile, else ARCA_TOKEN, else the default. */
class CredentialsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  /** Tokens without a refresh grant are never sent to a provider. */
  private static final Credentials.Refresher NEVER =
      t -> {
        throw new AssertionError("no refresh expected for " + t);
      };

  private static TokenStore store(Path dir, String profile, String token, Instant expires)
      throws LoginException {
    TokenStore store = new TokenStore(dir);
    store.save(profile, new StoredToken("http://kc/realms/arca", token, expires, "u", List.of()));
    return store;
  }

  @Test
  void anExplicitProfileWinsOverTheEnvironmentToken(@TempDir Path dir) throws Exception {
    Credentials c =
        new Credentials(
            store(dir, "auditor", "from-profile", NOW.plusSeconds(60)),
            Map.of("ARCA_TOKEN", "from-env"),
            NEVER);
    assertThat(c.require("auditor", NOW)).isEqualTo("from-profile");
    assertThat(c.find("auditor", NOW)).contains("from-profile");
  }

  @Test
  void withoutAProfileAutomationsTokenIsSent(@TempDir Path dir) throws Exception {
    Credentials c =
        new Credentials(
            store(dir, "default", "from-profile", NOW.plusSeconds(60)),
            Map.of("ARCA_TOKEN", "from-env"),
            NEVER);
    assertThat(c.require(null, NOW)).isEqualTo("from-env");
    assertThat(c.find(null, NOW)).contains("from-env");
  }

  @Test
  void otherwiseTheDefaultProfileOrArcaProfile(@TempDir Path dir) throws Exception {
    TokenStore store = store(dir, "default", "default-token", NOW.plusSeconds(60));
    store.save(
        "ops",
        new StoredToken("http://kc/realms/arca", "ops-token", NOW.plusSeconds(60), "u", List.of()));
    assertThat(new Credentials(store, Map.of(), NEVER).require(null, NOW))
        .isEqualTo("default-token");
    assertThat(new Credentials(store, Map.of("ARCA_PROFILE", "ops"), NEVER).require(null, NOW))
        .isEqualTo("ops-token");
  }

  @Test
  void anExplicitProfileWithoutAValidTokenIsAnErrorEvenWhereATokenIsOptional(@TempDir Path dir)
      throws Exception {
    Credentials c =
        new Credentials(
            store(dir, "auditor", "old", NOW.minusSeconds(1)),
            Map.of("ARCA_TOKEN", "from-env"),
            NEVER);
    assertThatThrownBy(() -> c.find("auditor", NOW))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.id()).isEqualTo("login.expired"));
    assertThatThrownBy(() -> c.find("nobody", NOW))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.id()).isEqualTo("login.missing"));
  }

  @Test
  void anOptionalTokenIsAbsentRatherThanExpired(@TempDir Path dir) throws Exception {
    Credentials c =
        new Credentials(
            store(dir, "default", "old", NOW.minusSeconds(1)), Map.of("ARCA_TOKEN", ""), NEVER);
    assertThat(c.find(null, NOW)).isEmpty();
    assertThatThrownBy(() -> c.require(null, NOW))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.id()).isEqualTo("login.expired"));
  }

  @Test
  void aTokenAboutToExpireIsRenewedWithItsRefreshTokenAndSaved(@TempDir Path dir) throws Exception {
    TokenStore store = new TokenStore(dir);
    StoredToken.Refresh grant = new StoredToken.Refresh("arca-cli", "refresh-1");
    store.save(
        "alice",
        new StoredToken(
            "http://kc/realms/arca", "old", NOW.plusSeconds(30), "alice", List.of(), grant));
    List<StoredToken> renewed = new java.util.ArrayList<>();
    Credentials c =
        new Credentials(
            store,
            Map.of(),
            t -> {
              renewed.add(t);
              return new StoredToken(
                  t.issuer(), "new", NOW.plusSeconds(300), "alice", List.of(), grant);
            });
    assertThat(c.require("alice", NOW)).isEqualTo("new");
    assertThat(renewed).extracting(StoredToken::accessToken).containsExactly("old");
    assertThat(store.load("alice").orElseThrow().accessToken()).isEqualTo("new");
    assertThat(store.load("alice").orElseThrow().refresh()).contains(grant);
    // Fresh now: no second renewal.
    assertThat(c.find("alice", NOW)).contains("new");
    assertThat(renewed).hasSize(1);
  }

  @Test
  void aRefusedRenewalEndsTheSessionWithWhatToRun(@TempDir Path dir) throws Exception {
    TokenStore store = new TokenStore(dir);
    store.save(
        "alice",
        new StoredToken(
            "http://kc/realms/arca",
            "old",
            NOW.minusSeconds(5),
            "alice",
            List.of(),
            new StoredToken.Refresh("arca-cli", "revoked")));
    Credentials c =
        new Credentials(
            store,
            Map.of(),
            t -> {
              throw new LoginException("login.expired", "the login session ended; run arca login");
            });
    assertThatThrownBy(() -> c.require("alice", NOW))
        .isInstanceOfSatisfying(
            LoginException.class,
            e -> {
              assertThat(e.id()).isEqualTo("login.expired");
              assertThat(e.getMessage()).contains("arca login");
            });
    assertThat(store.load("alice").orElseThrow().accessToken()).isEqualTo("old");
  }
}
