// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.transparency.log.LogReader;
import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.NodeId;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@link LogReader} over the {@code tlog_*} tables through one connection. Inside the sequencer's
 * transaction it sees that transaction's own rows (so the appender can sign the new size); on a
 * read connection it sees the committed log. Roots, proofs, tiles and bundles come from the
 * library's default methods, byte-identical to {@code InMemoryLog}.
 *
 * <p>Every read throws {@link IOException} when a row that must exist is missing, naming it, so a
 * row deleted behind the log's back is reported rather than served as a shorter answer.
 */
public final class PgLogReader implements LogReader {
  private final Connection c;

  /** A reader within {@code c}'s transaction. */
  public PgLogReader(Connection c) {
    this.c = c;
  }

  @Override
  public long size() throws IOException {
    try (PreparedStatement ps = c.prepareStatement("SELECT size FROM tlog_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new IOException("the log head row is missing");
      }
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IOException("cannot read the log size: " + e.getMessage(), e);
    }
  }

  @Override
  public List<byte[]> entries(long start, long end) throws IOException {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
    }
    List<byte[]> out = new ArrayList<>((int) (end - start));
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT idx, leaf FROM tlog_entry WHERE idx >= ? AND idx < ? ORDER BY idx")) {
      ps.setLong(1, start);
      ps.setLong(2, end);
      try (ResultSet rs = ps.executeQuery()) {
        long expected = start;
        while (rs.next()) {
          if (rs.getLong(1) != expected) {
            throw new IOException("log entry " + expected + " is missing from the store");
          }
          out.add(rs.getBytes(2));
          expected++;
        }
        if (expected != end) {
          throw new IOException("log entry " + expected + " is missing from the store");
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot read log entries: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public HashReader hashReader() {
    return this::readHashes;
  }

  private List<byte[]> readHashes(List<NodeId> nodes) throws IOException {
    if (nodes.isEmpty()) {
      return List.of();
    }
    // One statement per proof: (level, idx) IN ((?, ?), ...).
    StringBuilder sql =
        new StringBuilder("SELECT level, idx, hash FROM tlog_node WHERE (level, idx) IN (");
    for (int i = 0; i < nodes.size(); i++) {
      sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
    }
    sql.append(')');
    Map<NodeId, byte[]> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (NodeId n : nodes) {
        ps.setInt(p++, n.level());
        ps.setLong(p++, n.index());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot read stored hashes: " + e.getMessage(), e);
    }
    List<byte[]> out = new ArrayList<>(nodes.size());
    for (NodeId n : nodes) {
      byte[] h = found.get(n);
      if (h == null) {
        throw new IOException("stored hash " + n + " is missing");
      }
      out.add(h);
    }
    return out;
  }

  @Override
  public OptionalLong indexOfLeafHash(byte[] leafHash) throws IOException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT min(idx) FROM tlog_entry WHERE leaf_hash = ?")) {
      ps.setBytes(1, leafHash);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long idx = rs.getLong(1);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(idx);
      }
    } catch (SQLException e) {
      throw new IOException("cannot look up a leaf hash: " + e.getMessage(), e);
    }
  }
}
