// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.appraisal.CompiledPolicy;
import dev.arca.appraisal.PolicyEngine;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import dev.arca.crypto.Sha256;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Policy versions: upload (compiled by the policy engine first, so a stored version always
 * compiles), list, activate. All versions are kept; exactly one may be active. The active policy is
 * compiled once and cached; replicas pick up an activation within seconds.
 */
@ApplicationScoped
public class PolicyRegistry {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject PolicyEngine engine;
  @Inject RowSeals seals;

  private record Version(String name, long version) {}

  private final CompiledOnce<Version, CompiledPolicy> active = new CompiledOnce<>();

  /** Set when the active policy's row failed its seal: nothing is decided until it is mended. */
  private volatile ProblemException tampered;

  /**
   * Validates and stores a new version.
   *
   * @throws ProblemException {@code policy-invalid} with every problem and its location; {@code
   *     conflict} when that name and version exist
   */
  public PolicyVersion upload(String document, String actor, Instant now) {
    CompiledPolicy compiled = compile(document);
    String digest = Sha256.hex(document.getBytes(StandardCharsets.UTF_8));
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "INSERT INTO policy (name, version, document, digest, created_at, created_by)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, compiled.name());
            ps.setLong(2, compiled.version());
            ps.setString(3, document);
            ps.setBytes(4, HexFormat.of().parseHex(digest));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, actor);
            if (ps.executeUpdate() == 0) {
              throw new ProblemException(
                  ProblemType.CONFLICT,
                  "policy "
                      + compiled.name()
                      + " version "
                      + compiled.version()
                      + " exists; raise the version");
            }
          }
          seals.seal(tx, RowSeals.key(SealedTable.POLICY, compiled.name(), compiled.version()));
          audit.append(
              tx,
              new AuditEvent(
                  "policy.uploaded",
                  actor,
                  "policy:" + compiled.name() + "@" + compiled.version(),
                  "ok",
                  Map.of("digest", digest)),
              now,
              // Kept by content, so an auditor replays decisions with this very document.
              List.of(document.getBytes(StandardCharsets.UTF_8)));
          return new PolicyVersion(
              compiled.name(), compiled.version(), digest, false, now, actor, null);
        });
  }

  /** Makes {@code name@version} the only active policy. */
  public PolicyVersion activate(String name, long version, String actor, Instant now) {
    PolicyVersion pv =
        db.inTransaction(
            tx -> {
              try (PreparedStatement lock =
                  tx.prepareStatement("SELECT pg_advisory_xact_lock(7342002)")) {
                lock.execute();
              }
              if (find(tx, name, version).isEmpty()) {
                throw new ProblemException(
                    ProblemType.NOT_FOUND, "no policy " + name + " version " + version);
              }
              List<RowSeals.Key> changed =
                  seals.lock(
                      tx,
                      SealedTable.POLICY,
                      "active OR (name = ? AND version = ?)",
                      name,
                      version);
              try (PreparedStatement off =
                  tx.prepareStatement("UPDATE policy SET active = FALSE WHERE active")) {
                off.executeUpdate();
              }
              try (PreparedStatement on =
                  tx.prepareStatement(
                      "UPDATE policy SET active = TRUE, activated_at = ? WHERE name = ? AND"
                          + " version = ?")) {
                on.setTimestamp(1, Timestamp.from(now));
                on.setString(2, name);
                on.setLong(3, version);
                on.executeUpdate();
              }
              for (RowSeals.Key k : changed) {
                seals.seal(tx, k);
              }
              PolicyVersion activated = find(tx, name, version).orElseThrow();
              audit.append(
                  tx,
                  new AuditEvent(
                      "policy.activated",
                      actor,
                      "policy:" + name + "@" + version,
                      "ok",
                      Map.of("digest", activated.digest())),
                  now,
                  // Kept again (idempotent): also covers versions uploaded before documents were
                  // kept, so every activated policy can be fetched by the digest logged here.
                  List.of(documentIn(tx, name, version).getBytes(StandardCharsets.UTF_8)));
              return activated;
            });
    reload();
    return pv;
  }

  /**
   * The active compiled policy, if any.
   *
   * @throws ProblemException {@code state-tampered} when the active policy's row fails its seal
   */
  public Optional<CompiledPolicy> active() {
    Optional<CompiledPolicy> c = active.current();
    if (c.isEmpty()) {
      // Nothing loaded yet (just started, before the first scheduled reload): read it now rather
      // than refusing every attestation for the first seconds after a restart. Requests arriving
      // together wait for one compilation.
      reload();
      c = active.current();
    }
    ProblemException t = tampered;
    if (t != null) {
      throw new ProblemException(t.type(), t.getMessage(), t.extensions());
    }
    return c;
  }

  /**
   * Re-reads which policy is active and compiles it when it changed. A row that fails its seal
   * drops the cached policy: attestations are refused until the row is mended.
   */
  @Scheduled(every = "5s", delayed = "5s", concurrentExecution = ConcurrentExecution.SKIP)
  public void reload() {
    Optional<String[]> row;
    try {
      row = db.read(this::activeRow);
      tampered = null;
    } catch (ProblemException e) {
      if (e.type() != ProblemType.STATE_TAMPERED) {
        throw e;
      }
      active.clear();
      tampered = e;
      return;
    }
    if (row.isEmpty()) {
      active.clear();
      return;
    }
    String[] r = row.get();
    active.get(new Version(r[0], Long.parseLong(r[1])), () -> compile(r[2]));
  }

  private Optional<String[]> activeRow(Connection tx) throws SQLException {
    try (PreparedStatement ps =
            tx.prepareStatement(
                "SELECT " + SealedTable.POLICY.columns() + " FROM policy WHERE active");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      seals.verify(SealedTable.POLICY, rs);
      return Optional.of(
          new String[] {
            rs.getString("name"), Long.toString(rs.getLong("version")), rs.getString("document")
          });
    }
  }

  public List<PolicyVersion> versions(String name) {
    return db.read(tx -> query(tx, SELECT + " WHERE name = ? ORDER BY version DESC", name));
  }

  public List<PolicyVersion> list() {
    return db.read(tx -> query(tx, SELECT + " ORDER BY name, version DESC"));
  }

  /** The document of one version. */
  public Optional<String> document(String name, long version) {
    return db.read(tx -> documentOf(tx, name, version));
  }

  private String documentIn(Connection tx, String name, long version) throws SQLException {
    return documentOf(tx, name, version)
        .orElseThrow(
            () ->
                new SQLException("policy " + name + "@" + version + " vanished while activating"));
  }

  private Optional<String> documentOf(Connection tx, String name, long version)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT "
                + SealedTable.POLICY.columns()
                + " FROM policy WHERE name = ? AND version = ?")) {
      ps.setString(1, name);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        seals.verify(SealedTable.POLICY, rs);
        return Optional.of(rs.getString("document"));
      }
    }
  }

  private CompiledPolicy compile(String document) {
    try {
      return engine.compile(document, "upload");
    } catch (PolicyEngine.PolicyRejectedException e) {
      List<Map<String, Object>> problems = new ArrayList<>();
      for (PolicyEngine.Problem p : e.problems()) {
        problems.add(
            Map.of("id", p.id(), "line", p.line(), "column", p.column(), "message", p.message()));
      }
      throw new ProblemException(
          ProblemType.POLICY_INVALID,
          e.problems().size() + " problem(s); see 'problems'",
          Map.of("problems", problems));
    }
  }

  private Optional<PolicyVersion> find(Connection tx, String name, long version)
      throws SQLException {
    List<PolicyVersion> l = query(tx, SELECT + " WHERE name = ? AND version = ?", name, version);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  private static final String SELECT =
      "SELECT " + SealedTable.POLICY.columns() + ", created_at, created_by FROM policy";

  private List<PolicyVersion> query(Connection tx, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<PolicyVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seals.verify(SealedTable.POLICY, rs);
          Timestamp act = rs.getTimestamp("activated_at");
          out.add(
              new PolicyVersion(
                  rs.getString("name"),
                  rs.getLong("version"),
                  HexFormat.of().formatHex(rs.getBytes("digest")),
                  rs.getBoolean("active"),
                  rs.getTimestamp("created_at").toInstant(),
                  rs.getString("created_by"),
                  act == null ? null : act.toInstant()));
        }
      }
      return out;
    }
  }
}
