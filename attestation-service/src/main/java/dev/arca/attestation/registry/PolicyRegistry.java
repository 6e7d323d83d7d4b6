package dev.arca.attestation.registry;

import dev.arca.appraisal.CompiledPolicy;
import dev.arca.appraisal.PolicyEngine;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.storage.Database;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

  private record Cached(String name, long version, CompiledPolicy policy) {}

  private volatile Cached active;

  /**
   * Validates and stores a new version.
   *
   * @throws ProblemException {@code policy-invalid} with every problem and its location; {@code
   *     conflict} when that name and version exist
   */
  public PolicyVersion upload(String document, String actor, Instant now) {
    CompiledPolicy compiled = compile(document);
    String digest = sha256(document);
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

  /** The active compiled policy, if any. */
  public Optional<CompiledPolicy> active() {
    Cached c = active;
    if (c == null) {
      // Nothing loaded yet (just started, before the first scheduled reload): read it now rather
      // than refusing every attestation for the first seconds after a restart.
      reload();
      c = active;
    }
    return c == null ? Optional.empty() : Optional.of(c.policy());
  }

  /** Re-reads which policy is active and compiles it when it changed. */
  @Scheduled(every = "5s", delayed = "5s")
  public void reload() {
    Optional<String[]> row =
        db.read(
            tx -> {
              try (PreparedStatement ps =
                      tx.prepareStatement(
                          "SELECT name, version, document FROM policy WHERE active");
                  ResultSet rs = ps.executeQuery()) {
                return rs.next()
                    ? Optional.of(
                        new String[] {
                          rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3)
                        })
                    : Optional.<String[]>empty();
              }
            });
    if (row.isEmpty()) {
      active = null;
      return;
    }
    String[] r = row.get();
    Cached c = active;
    if (c != null && c.name().equals(r[0]) && c.version() == Long.parseLong(r[1])) {
      return;
    }
    active = new Cached(r[0], Long.parseLong(r[1]), compile(r[2]));
  }

  public List<PolicyVersion> versions(String name) {
    return db.read(tx -> query(tx, SELECT + " WHERE name = ? ORDER BY version DESC", name));
  }

  public List<PolicyVersion> list() {
    return db.read(tx -> query(tx, SELECT + " ORDER BY name, version DESC"));
  }

  /** The document of one version. */
  public Optional<String> document(String name, long version) {
    return db.read(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("SELECT document FROM policy WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setLong(2, version);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  private static String documentIn(Connection tx, String name, long version) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT document FROM policy WHERE name = ? AND version = ?")) {
      ps.setString(1, name);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("policy " + name + "@" + version + " vanished while activating");
        }
        return rs.getString(1);
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
      "SELECT name, version, digest, active, created_at, created_by, activated_at FROM policy";

  private static List<PolicyVersion> query(Connection tx, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<PolicyVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp act = rs.getTimestamp(7);
          out.add(
              new PolicyVersion(
                  rs.getString(1),
                  rs.getLong(2),
                  HexFormat.of().formatHex(rs.getBytes(3)),
                  rs.getBoolean(4),
                  rs.getTimestamp(5).toInstant(),
                  rs.getString(6),
                  act == null ? null : act.toInstant()));
        }
      }
      return out;
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
