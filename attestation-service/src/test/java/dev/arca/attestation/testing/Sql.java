// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.attestation.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct SQL against the service's real PostgreSQL: what a database writer can do. */
public final class Sql {
  private Sql() {}

  /** Runs one statement in its own transaction; returns the update count. */
  public static int update(Database db, String statement, Object... args) {
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps = tx.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
          }
        });
  }

  /** The first column of the first row of a query, as text (null when there is no row). */
  public static String text(Database db, String query, Object... args) {
    return first(db, query, args, rs -> rs.getString(1));
  }

  /** The first column of the first row of a query, as bytes (null when there is no row). */
  public static byte[] bytes(Database db, String query, Object... args) {
    return first(db, query, args, rs -> rs.getBytes(1));
  }

  private interface Column<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static <T> T first(Database db, String query, Object[] args, Column<T> column) {
    return db.read(
        tx -> {
          try (PreparedStatement ps = tx.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? column.read(rs) : null;
            }
          }
        });
  }

  /** The first column of the first row of a query, as a number (a count, a size). */
  public static long number(Database db, String query, Object... args) {
    return Long.parseLong(text(db, query, args));
  }
}
