// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import java.sql.SQLException;

/** The database failed: a server fault (503), never the client's. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  public StorageException(SQLException cause) {
    super("database error (SQLSTATE " + cause.getSQLState() + ")", cause);
    this.sqlState = cause.getSQLState();
  }

  /** PostgreSQL's SQLSTATE, e.g. {@code 23505} for a unique violation. */
  public String sqlState() {
    return sqlState;
  }

  /**
   * True when PostgreSQL refused a value's characters (a NUL byte, a character the encoding lacks):
   * the client's input, not a database fault.
   */
  public boolean isUnstorableText() {
    return "22021".equals(sqlState) || "22P05".equals(sqlState);
  }

  /** True for a unique-constraint violation. */
  public boolean isUniqueViolation() {
    return "23505".equals(sqlState);
  }
}
