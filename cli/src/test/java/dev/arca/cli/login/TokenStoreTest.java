// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void savesOwnerOnlyAndReadsBack(@TempDir Path dir) throws Exception {
    TokenStore store = new TokenStore(dir);
    StoredToken t =
        new StoredToken(
            "http://kc/realms/arca",
            "header.payload.sig",
            NOW.plusSeconds(300),
            "auditor",
            List.of("auditor"));
    store.save("auditor", t);

    Path f = store.file("auditor");
    assertThat(Files.getPosixFilePermissions(f))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(f.getParent()))
        .containsExactlyInAnyOrder(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);
    StoredToken back = store.require("auditor", NOW);
    assertThat(back.accessToken()).isEqualTo("header.payload.sig");
    assertThat(back.roles()).containsExactly("auditor");
    assertThat(back.toString()).doesNotContain("header.payload.sig").contains("redacted");
  }

  @Test
  void refusesMissingAndExpiredTokensWithWhatToDo(@TempDir Path dir) throws Exception {
    TokenStore store = new TokenStore(dir);
    assertThatThrownBy(() -> store.require("nobody", NOW))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.id()).isEqualTo("login.missing"))
        .hasMessageContaining("arca login");
    store.save("old", new StoredToken("i", "secret-token", NOW.minusSeconds(1), "u", List.of()));
    assertThatThrownBy(() -> store.require("old", NOW))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.id()).isEqualTo("login.expired"))
        .hasMessageContaining("log")
        .hasMessageNotContaining("secret-token");
  }

  @Test
  void profileNamesCannotEscapeTheFolder(@TempDir Path dir) {
    assertThatThrownBy(() -> new TokenStore(dir).file("../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
