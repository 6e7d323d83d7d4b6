// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The role the service logs into the embedded PostgreSQL as: {@value #NAME}, which can log in and
 * owns Arca's schema ({@code public} in database {@code postgres}) and everything in it, and
 * nothing more. It is no superuser and holds none of the {@code pg_*_server_*} roles, so it cannot
 * run programs ({@code COPY ... FROM PROGRAM}) or read files as the database's OS user — the user
 * that can read the master key.
 */
final class ApplicationRole {

  static final String NAME = "arca";

  private static final String ATTRIBUTES =
      "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

  private ApplicationRole() {}

  /**
   * Creates the role or resets it to these attributes and {@code password}, and hands it Arca's
   * schema. Idempotent; runs at every start so a data directory from before this role existed
   * (tables owned by {@code postgres}) is converted on its first start.
   *
   * @param superuser a connection to database {@code postgres} as a superuser
   * @param password a {@link PasswordFile#generate generated} password (safe in a SQL literal)
   */
  static void ensure(Connection superuser, String password) throws SQLException {
    try (Statement st = superuser.createStatement()) {
      // The server log must never repeat a statement that carries the password.
      st.execute("SET log_min_error_statement = panic");
      if (!exists(superuser)) {
        st.execute("CREATE ROLE " + NAME);
      }
      st.execute("ALTER ROLE " + NAME + " " + ATTRIBUTES + " PASSWORD '" + password + "'");
      // Members of these run programs and read or write files as the server's OS user.
      st.execute(
          "REVOKE pg_execute_server_program, pg_read_server_files, pg_write_server_files FROM "
              + NAME);
      // CREATE lets the role make scratch schemas of its own (migration tests); CONNECT and TEMP
      // it has from PUBLIC.
      st.execute("GRANT CREATE ON DATABASE postgres TO " + NAME);
      st.execute("ALTER SCHEMA public OWNER TO " + NAME);
      // Tables first: changing a table's owner also moves its indexes and serial sequences,
      // whose owner cannot be changed on their own.
      for (String kinds : List.of("'r','p','v','m','f'", "'S'")) {
        for (String relation : notOwned(superuser, kinds)) {
          st.execute("ALTER TABLE " + relation + " OWNER TO " + NAME);
        }
      }
    }
  }

  private static boolean exists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Relations of the given kinds in schema public that the role does not own, quoted. */
  private static List<String> notOwned(Connection c, String kinds) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT format('public.%I', c.relname) FROM pg_class c"
                + " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ("
                + kinds
                + ") AND c.relowner <> ?::regrole")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}
