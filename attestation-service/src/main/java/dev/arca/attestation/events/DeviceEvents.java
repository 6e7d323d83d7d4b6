// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.events;

import dev.arca.attestation.audit.log.PgLogReader;
import dev.arca.attestation.storage.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a device's runtime must act on, read from the audit log (so every event is one the log
 * records, and every replica sees the same): a version of one of its models published or revoked, a
 * publisher key revoked, a policy activated, the device's attributes changed or the device revoked.
 * The runtime answers any of them by attesting again: the service then decides, and what the
 * runtime may no longer serve it stops serving.
 */
@ApplicationScoped
public class DeviceEvents {
  /** The most events one answer carries; the runtime asks again from the last one. */
  static final int PAGE = 100;

  @Inject Database db;

  /** One event: its audit log index, type and subject. */
  public record Event(long index, String type, String subject) {}

  /** The index of the newest audit entry (-1 for an empty log): where a new listener starts. */
  public long head() {
    return db.read(
        tx -> {
          try {
            return new PgLogReader(tx).size() - 1;
          } catch (java.io.IOException e) {
            throw new SQLException(e.getMessage(), e);
          }
        });
  }

  /** The events for {@code deviceId} with models {@code models} after audit index {@code after}. */
  public List<Event> after(String deviceId, Set<String> models, long after) {
    return db.read(tx -> query(tx, deviceId, models, after));
  }

  private static List<Event> query(Connection tx, String deviceId, Set<String> models, long after)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT idx, type, subject FROM tlog_entry WHERE idx > ? AND ("
                + "type IN ('publisher-key.revoked', 'policy.activated')"
                + " OR (type IN ('device.revoked', 'device.attributes') AND subject = ?)");
    List<Object> args = new ArrayList<>();
    args.add(after);
    args.add("device:" + deviceId);
    for (String m : models) {
      sql.append(" OR (type IN ('model.published', 'model.revoked') AND subject LIKE ?)");
      args.add("model:" + like(m) + "@%");
    }
    sql.append(") ORDER BY idx LIMIT ").append(PAGE);
    List<Event> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  /** {@code value} as a literal LIKE pattern (model ids may hold '_'). */
  private static String like(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
