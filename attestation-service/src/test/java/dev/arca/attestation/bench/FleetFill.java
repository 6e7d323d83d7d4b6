// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the service's PostgreSQL to fleet scale for {@link FleetScaleBenchmark}, inside PostgreSQL
 * ({@code generate_series}, {@code sha256}), so a million devices and ten million log entries take
 * minutes, not the hours the API would. Each filled row is a copy of a real row the service wrote
 * (a template), with the template's device id replaced, so sizes are the service's.
 *
 * <p>What it writes is what the service would hold, except for two things a real service adds:
 * device rows carry no seal ({@code row_mac} is null: only the service's key can seal them, and it
 * does when started once with {@code ARCA_STATE_ADOPT_ROWS=true}, the operator's adoption), and the
 * log head's signed checkpoint still covers the old size until the next append signs one for the
 * filled tree. The Merkle tree is complete and correct: every subtree hash, level by level.
 *
 * <p>The caller owns the transaction; nothing is committed here.
 */
final class FleetFill {
  private FleetFill() {}

  /**
   * Adds {@code count} devices {@code fleet-0 ...}, copies of device {@code template} with their
   * own id, identity and enrolment public key (of the template's length), unsealed.
   */
  static void devices(Connection tx, String template, int count) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO device (id, format, identity, enrolment, attributes, status, enrolled_at,"
                + " enrolled_by) SELECT 'fleet-' || g, t.format, t.identity || '-fleet-' || g,"
                + " jsonb_set(t.enrolment, '{publicKey}', to_jsonb(encode(sha256(g::text::bytea),"
                + " 'base64'))), t.attributes, t.status, t.enrolled_at, t.enrolled_by FROM device t,"
                + " generate_series(0, ? - 1) g WHERE t.id = ?")) {
      ps.setInt(1, count);
      ps.setString(2, template);
      int added = ps.executeUpdate();
      if (added != count) {
        throw new SQLException("no device " + template + " to copy");
      }
    }
  }

  /**
   * Appends {@code count} entries to the transparency log: copies of entry {@code templateIndex}
   * with {@code deviceId} replaced by {@code fleet-<index>} in the leaf, the actor and the subject
   * (so no two leaves are alike, as no two real entries are); then every subtree hash the new
   * leaves complete, and the head's size.
   *
   * @return the log's new size
   */
  static long auditEntries(Connection tx, long templateIndex, String deviceId, long count)
      throws SQLException {
    long first = single(tx, "SELECT size FROM tlog_head WHERE id = 1 FOR UPDATE");
    try (Statement s = tx.createStatement()) {
      s.execute("SET LOCAL maintenance_work_mem = '512MB'");
    }
    // Ten million random inserts into each search index cost far more than building it afterwards.
    List<String[]> indexes = secondaryIndexes(tx, "tlog_entry");
    for (String[] index : indexes) {
      execute(tx, "DROP INDEX " + index[0]);
    }
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO tlog_entry (idx, leaf, leaf_hash, type, actor, subject, outcome,"
                + " logged_at) SELECT ? + g, x.leaf, sha256('\\x00'::bytea || x.leaf), t.type,"
                + " replace(t.actor, ?, 'fleet-' || (? + g)), replace(t.subject, ?, 'fleet-' || (? + g)),"
                + " t.outcome, t.logged_at + g * interval '1 microsecond' FROM tlog_entry t,"
                + " generate_series(0, ? - 1) g, LATERAL (SELECT convert_to(replace("
                + "convert_from(t.leaf, 'UTF8'), ?, 'fleet-' || (? + g)), 'UTF8') AS leaf) x"
                + " WHERE t.idx = ?")) {
      ps.setLong(1, first);
      ps.setString(2, deviceId);
      ps.setLong(3, first);
      ps.setString(4, deviceId);
      ps.setLong(5, first);
      ps.setLong(6, count);
      ps.setString(7, deviceId);
      ps.setLong(8, first);
      ps.setLong(9, templateIndex);
      if (ps.executeUpdate() != count) {
        throw new SQLException("no log entry " + templateIndex + " to copy");
      }
    }
    for (String[] index : indexes) {
      execute(tx, index[1]);
    }
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO tlog_node (level, idx, hash) SELECT 0, idx, leaf_hash FROM tlog_entry"
                + " WHERE idx >= ?")) {
      ps.setLong(1, first);
      ps.executeUpdate();
    }
    // Level by level: each new pair of siblings makes a parent. The first pair of a level may
    // have an old left sibling (a complete subtree of the log before the fill).
    for (int level = 0; parents(tx, level, first) > 0; level++) {
      // Keep going while the level above gained nodes.
    }
    try (PreparedStatement ps = tx.prepareStatement("UPDATE tlog_head SET size = ? WHERE id = 1")) {
      ps.setLong(1, first + count);
      ps.executeUpdate();
    }
    return first + count;
  }

  /** Inserts the parents at {@code level + 1} that the fill completed; returns how many. */
  private static int parents(Connection tx, int level, long first) throws SQLException {
    long start = (first >>> (level + 1)) << 1;
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO tlog_node (level, idx, hash) SELECT ? + 1, idx / 2,"
                + " sha256('\\x01'::bytea || hash || next_hash) FROM (SELECT idx, hash,"
                + " lead(idx) OVER w AS next_idx, lead(hash) OVER w AS next_hash FROM tlog_node"
                + " WHERE level = ? AND idx >= ? WINDOW w AS (ORDER BY idx)) s"
                + " WHERE idx % 2 = 0 AND next_idx = idx + 1")) {
      ps.setInt(1, level);
      ps.setInt(2, level);
      ps.setLong(3, start);
      return ps.executeUpdate();
    }
  }

  /**
   * The name and {@code CREATE INDEX} statement of each of {@code table}'s indexes that no
   * constraint owns.
   */
  private static List<String[]> secondaryIndexes(Connection tx, String table) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ? AND indexname NOT IN"
                + " (SELECT conname FROM pg_constraint) ORDER BY indexname")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  /** Bytes on disk of {@code tables}, their indexes and TOAST included. */
  static long storageBytes(Connection c, List<String> tables) throws SQLException {
    long total = 0;
    for (String t : tables) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
        ps.setString(1, t);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total += rs.getLong(1);
        }
      }
    }
    return total;
  }

  static long single(Connection c, String query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("no row: " + query);
      }
      return rs.getLong(1);
    }
  }

  private static void execute(Connection tx, String sql) throws SQLException {
    try (Statement s = tx.createStatement()) {
      s.execute(sql);
    }
  }
}
