// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who can log into the embedded PostgreSQL that {@code ./arca service} starts (T-STORE-1): any
 * local user can reach its loopback port, so every login needs a password that only Arca's OS user
 * can read, and the service's own login cannot run programs or read files as the database's OS user
 * (which can read {@code keys/master.key}).
 */
class EmbeddedPostgresAccessTest {

  private static EmbeddedPostgres pg;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.start(Files.createTempDirectory("arca-pg-access-"), true);
  }

  @Test
  void theSuperuserCannotLogInWithoutItsPassword() {
    assertRefused(pg.jdbcUrl(), "postgres");
  }

  @Test
  void theServiceRoleCannotLogInWithoutItsPasswordEither() {
    assertRefused(pg.jdbcUrl(), pg.username());
  }

  @Test
  void theServiceRoleIsNoSuperuserAndCannotRunProgramsOrReadFiles() throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
        Statement st = c.createStatement()) {
      assertThat(pg.username()).isEqualTo("arca");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls"
                  + " FROM pg_roles WHERE rolname = current_user")) {
        assertThat(rs.next()).isTrue();
        for (int i = 1; i <= 5; i++) {
          assertThat(rs.getBoolean(i)).as("attribute %d", i).isFalse();
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("arca");
      }
      st.execute("CREATE TEMP TABLE loot (line TEXT)");
      Path superuserPassword = EmbeddedPostgres.passwordFile(pg.dataDir(), "postgres");
      for (String attempt :
          List.of(
              "COPY loot FROM PROGRAM 'id'",
              "COPY loot FROM '" + superuserPassword + "'",
              "SELECT pg_read_file('postgresql.conf')",
              "ALTER ROLE arca SUPERUSER")) {
        assertThatThrownBy(() -> st.execute(attempt))
            .as(attempt)
            .isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("42501"); // insufficient_privilege
      }
    }
  }

  @Test
  void thePasswordsAreOwnerOnlyFiles() throws Exception {
    Path dataDir = pg.dataDir();
    for (String role : List.of("postgres", "arca")) {
      Path file = EmbeddedPostgres.passwordFile(dataDir, role);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .isEqualTo("rw-------");
    }
    for (String folder : List.of("postgres-passwords", "postgres-binaries", "postgres")) {
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(folder))))
          .as(folder)
          .isEqualTo("rwx------");
    }
    // The superuser password is the one the server checks.
    String superuser = PasswordFile.read(EmbeddedPostgres.passwordFile(dataDir, "postgres")).get();
    DriverManager.getConnection(pg.jdbcUrl(), "postgres", superuser).close();
  }

  @Test
  void pgHbaHasNoTrustLineAndThereIsNoUnixSocket() throws Exception {
    assertThat(rules(pg.dataDir())).containsExactly("host all all 127.0.0.1/32 scram-sha-256");
    String superuser =
        PasswordFile.read(EmbeddedPostgres.passwordFile(pg.dataDir(), "postgres")).get();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", superuser);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW unix_socket_directories")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEmpty();
    }
  }

  /**
   * A data directory written by an earlier Arca (trust logins, a superuser without a password,
   * tables owned by it) keeps its rows and is locked down on its first start, and starts again.
   */
  @Test
  void aTrustDataDirectoryFromAnEarlierArcaIsLockedDownOnItsFirstStart(@TempDir Path dataDir)
      throws Exception {
    // What the earlier EmbeddedPostgres did: the library's defaults, initdb with trust logins.
    try (var old =
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start();
        Connection c = old.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE legacy_grant (id BIGSERIAL PRIMARY KEY, note TEXT)");
      st.execute("INSERT INTO legacy_grant (note) VALUES ('kept')");
    }
    assertThat(String.join("\n", rules(dataDir))).contains("trust");

    for (int start = 1; start <= 2; start++) {
      try (EmbeddedPostgres upgraded = EmbeddedPostgres.open(dataDir)) {
        assertThat(rules(dataDir)).noneMatch(r -> r.contains("trust"));
        assertRefused(upgraded.jdbcUrl(), "postgres");
        try (Connection c =
                DriverManager.getConnection(
                    upgraded.jdbcUrl(), upgraded.username(), upgraded.password());
            Statement st = c.createStatement()) {
          st.execute("INSERT INTO legacy_grant (note) VALUES ('start " + start + "')");
          try (ResultSet rs =
              st.executeQuery(
                  "SELECT tableowner, (SELECT string_agg(note, ',' ORDER BY id) FROM legacy_grant)"
                      + " FROM pg_tables WHERE tablename = 'legacy_grant'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("arca");
            assertThat(rs.getString(2)).startsWith("kept,start 1");
          }
        }
      }
    }
  }

  /**
   * A login as {@code user} over 127.0.0.1 is refused without the password: the server checks a
   * guessed one and refuses it, and with none at all it asks for one (with a trust line it would
   * let the client in without asking).
   */
  private static void assertRefused(String url, String user) {
    for (String guess : List.of("postgres", "arca", "password")) {
      assertThatThrownBy(() -> DriverManager.getConnection(url, user, guess).close())
          .as("%s with password '%s'", user, guess)
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isIn("28P01", "28000"); // invalid_password, invalid_authorization_specification
    }
    Properties noPassword = new Properties();
    noPassword.setProperty("user", user);
    Properties emptyPassword = new Properties();
    emptyPassword.setProperty("user", user);
    emptyPassword.setProperty("password", "");
    for (Properties login : List.of(noPassword, emptyPassword)) {
      assertThatThrownBy(() -> DriverManager.getConnection(url, login).close())
          .as("%s with %s", user, login)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("The server requested SCRAM-based authentication");
    }
  }

  /** The rules of {@code pg_hba.conf}: lines that are not blank or comments, spaces collapsed. */
  private static List<String> rules(Path dataDir) throws Exception {
    List<String> rules = new ArrayList<>();
    for (String line : Files.readAllLines(dataDir.resolve("postgres/pg_hba.conf"))) {
      String rule = line.replaceAll("#.*", "").trim().replaceAll("\\s+", " ");
      if (!rule.isEmpty()) {
        rules.add(rule);
      }
    }
    return rules;
  }
}
