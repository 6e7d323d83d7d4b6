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
            Map.of("ARCA_TOKEN", "from-env"));
    assertThat(c.require("auditor", NOW)).isEqualTo("from-profile");
    assertThat(c.find("auditor", NOW)).contains("from-profile");
  }

  @Test
  void withoutAProfileAutomationsTokenIsSent(@TempDir Path dir) throws Exception {
    Credentials c =
        new Credentials(
            store(dir, "default", "from-profile", NOW.plusSeconds(60)),
            Map.of("ARCA_TOKEN", "from-env"));
    assertThat(c.require(null, NOW)).isEqualTo("from-env");
    assertThat(c.find(null, NOW)).contains("from-env");
  }

  @Test
  void otherwiseTheDefaultProfileOrArcaProfile(@TempDir Path dir) throws Exception {
    TokenStore store = store(dir, "default", "default-token", NOW.plusSeconds(60));
    store.save(
        "ops",
        new StoredToken("http://kc/realms/arca", "ops-token", NOW.plusSeconds(60), "u", List.of()));
    assertThat(new Credentials(store, Map.of()).require(null, NOW)).isEqualTo("default-token");
    assertThat(new Credentials(store, Map.of("ARCA_PROFILE", "ops")).require(null, NOW))
        .isEqualTo("ops-token");
  }

  @Test
  void anExplicitProfileWithoutAValidTokenIsAnErrorEvenWhereATokenIsOptional(@TempDir Path dir)
      throws Exception {
    Credentials c =
        new Credentials(
            store(dir, "auditor", "old", NOW.minusSeconds(1)), Map.of("ARCA_TOKEN", "from-env"));
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
            store(dir, "default", "old", NOW.minusSeconds(1)), Map.of("ARCA_TOKEN", ""));
    assertThat(c.find(null, NOW)).isEmpty();
    assertThatThrownBy(() -> c.require(null, NOW))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.id()).isEqualTo("login.expired"));
  }
}
