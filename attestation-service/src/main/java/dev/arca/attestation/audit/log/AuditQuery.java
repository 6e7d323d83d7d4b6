// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One search of the transparency log's entries, as the auditor API and the console ask it: every
 * filter given is combined with AND; a {@code null} filter is not applied. Values only ever reach
 * SQL as bind parameters.
 *
 * @param device entries about or by {@code device:<id>}
 * @param model entries granting, deciding on or about the model (any version, or {@code version})
 * @param dataClass entries with a recorded decision on this data class
 * @param rule entries with a recorded decision this policy rule took part in
 * @param verdict the entry's outcome ({@code permit}, {@code ok}, a problem id)
 * @param kind an entry type ({@code attestation.appraised}) or its family ({@code attestation})
 * @param after only entries with a greater index
 * @param limit at most this many entries, oldest first
 */
public record AuditQuery(
    String device,
    String model,
    Long version,
    String dataClass,
    String rule,
    String verdict,
    Instant from,
    Instant to,
    String actor,
    String subject,
    String kind,
    long after,
    int limit) {

  /** The most entries one search returns. */
  public static final int MAX_LIMIT = 100_000;

  /** One matching entry: its index in the log and its exact canonical leaf bytes. */
  public record Hit(long index, byte[] leaf) {}

  /**
   * @throws ProblemException {@code invalid-request} naming the filter that cannot be asked
   */
  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "limit must be in [1, 100000]");
    }
    if (version != null && model == null) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "version needs model");
    }
    if (kind != null && !kind.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*")) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "kind is a dotted lower-case name such as attestation.appraised or usage");
    }
  }

  /** Every entry after {@code after}, up to {@code limit}. */
  public static AuditQuery everything(long after, int limit) {
    return new AuditQuery(
        null, null, null, null, null, null, null, null, null, null, null, after, limit);
  }

  /** Every entry logged in {@code [from, to)}, up to the most one search returns. */
  public static AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(
        null, null, null, null, null, null, from, to, null, null, null, -1, MAX_LIMIT);
  }

  /**
   * The entries of {@code kind} (or its family) with outcome {@code verdict}, up to {@code limit}.
   */
  public static AuditQuery outcomes(String kind, String verdict, int limit) {
    return new AuditQuery(
        null, null, null, null, null, verdict, null, null, null, null, kind, -1, limit);
  }

  /** Runs the search in {@code tx}: the oldest {@code limit} matches, oldest first. */
  public List<Hit> run(Connection tx) throws SQLException {
    return run(tx, "ASC");
  }

  /** Runs the search in {@code tx}: the newest {@code limit} matches, newest first. */
  public List<Hit> runNewestFirst(Connection tx) throws SQLException {
    return run(tx, "DESC");
  }

  private List<Hit> run(Connection tx, String order) throws SQLException {
    List<Object> args = new ArrayList<>();
    String sql = sql(args, order);
    args.add(limit);
    List<Hit> hits = new ArrayList<>();
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hits.add(new Hit(rs.getLong(1), rs.getBytes(2)));
        }
      }
    }
    return hits;
  }

  private String sql(List<Object> args, String order) {
    return "SELECT idx, leaf FROM tlog_entry" + where(args) + " ORDER BY idx " + order + " LIMIT ?";
  }

  /**
   * The search's {@code WHERE} clause over {@code tlog_entry}'s columns, its values appended to
   * {@code args} in order; {@code limit} is not part of it.
   */
  public String where(List<Object> args) {
    StringBuilder sql = new StringBuilder(" WHERE idx > ?");
    args.add(after);
    if (device != null) {
      sql.append(" AND (subject = ? OR actor = ?)");
      args.add("device:" + device);
      args.add("device:" + device);
    }
    if (actor != null) {
      sql.append(" AND actor = ?");
      args.add(actor);
    }
    if (subject != null) {
      sql.append(" AND subject = ?");
      args.add(subject);
    }
    if (kind != null) {
      sql.append(" AND (type = ? OR type LIKE ?)");
      args.add(kind);
      args.add(kind + ".%");
    }
    if (verdict != null) {
      sql.append(" AND outcome = ?");
      args.add(verdict);
    }
    if (from != null) {
      sql.append(" AND logged_at >= ?");
      args.add(Timestamp.from(from));
    }
    if (to != null) {
      sql.append(" AND logged_at < ?");
      args.add(Timestamp.from(to));
    }
    if (model != null) {
      // Grants record "model@version"; a model's own events have subject "model:<id>[@v]".
      String exact = version == null ? null : model + "@" + version;
      sql.append(
          " AND (jsonb_path_exists(convert_from(leaf, 'UTF8')::jsonb,"
              + " '$.facts.detail.grants[*].model ? (@ == $m || @ starts with $p)',"
              + " jsonb_build_object('m', ?::text, 'p', ?::text))"
              + " OR subject = ? OR subject LIKE ?)");
      args.add(exact == null ? "" : exact);
      args.add(exact == null ? model + "@" : exact);
      args.add("model:" + (exact == null ? model : exact));
      args.add(exact == null ? "model:" + model + "@%" : "model:" + exact);
    }
    if (dataClass != null) {
      sql.append(
          " AND jsonb_path_exists(convert_from(leaf, 'UTF8')::jsonb,"
              + " '$.facts.detail.replay.decisions[*] ? (@.dataClass == $c)',"
              + " jsonb_build_object('c', ?::text))");
      args.add(dataClass);
    }
    if (rule != null) {
      sql.append(
          " AND jsonb_path_exists(convert_from(leaf, 'UTF8')::jsonb,"
              + " '$.facts.detail.replay.decisions[*].rules[*] ? (@ == $r)',"
              + " jsonb_build_object('r', ?::text))");
      args.add(rule);
    }
    return sql.toString();
  }
}
