// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Plain JDBC transactions over the Agroal pool: no ORM on the attestation hot path, so a request
 * costs the statements it needs and nothing else.
 */
@ApplicationScoped
public class Database {

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection tx) throws SQLException;
  }

  @Inject AgroalDataSource dataSource;

  /**
   * Runs {@code work} in a transaction: commits when it returns, rolls back when it throws
   * (anything, including a {@code ProblemException}), and rethrows.
   *
   * @throws StorageException wrapping an {@link SQLException}
   */
  public <T> T inTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  /** Runs read-only {@code work} with auto-commit. */
  public <T> T read(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      try {
        return work.run(c);
      } finally {
        c.setReadOnly(false);
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }
}
