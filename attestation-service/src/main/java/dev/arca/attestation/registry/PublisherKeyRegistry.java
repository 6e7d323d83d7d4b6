// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherPublicKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.crypto.sign.SignatureException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The publisher keys whose manifest signatures the service accepts. Adding and revoking a key is a
 * security-team decision, audited like any other; a revoked key stays listed.
 */
@ApplicationScoped
public class PublisherKeyRegistry {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject RowSeals seals;

  /**
   * Trusts a new publisher key.
   *
   * @throws ProblemException {@code invalid-request} for an unknown algorithm or malformed key,
   *     {@code conflict} if the key id is taken
   */
  public PublisherKey add(
      String keyId, String algorithm, byte[] publicKey, String actor, Instant now) {
    PublisherPublicKey key;
    try {
      key = PublisherPublicKey.of(keyId, SignatureAlgorithm.fromLabel(algorithm), publicKey);
    } catch (SignatureException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
    }
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "INSERT INTO publisher_key (key_id, algorithm, public_key, status, added_at,"
                      + " added_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING")) {
            ps.setString(1, key.keyId());
            ps.setString(2, key.algorithm().label());
            ps.setBytes(3, key.encoded());
            ps.setString(4, PublisherKey.ACTIVE);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, actor);
            if (ps.executeUpdate() == 0) {
              throw new ProblemException(
                  ProblemType.CONFLICT,
                  "publisher key '" + keyId + "' exists; choose a new key id for a new key");
            }
          }
          seals.seal(tx, RowSeals.key(SealedTable.PUBLISHER_KEY, keyId));
          audit.append(
              tx,
              new AuditEvent(
                  "publisher-key.added",
                  actor,
                  "publisher-key:" + keyId,
                  "ok",
                  Map.of("algorithm", algorithm, "publicKey", encode(key.encoded()))),
              now);
          return find(tx, keyId);
        });
  }

  /**
   * Stops trusting a key: packages it signed are no longer accepted for publication, and no key of
   * a version it signed is released any more.
   */
  public PublisherKey revoke(String keyId, String actor, Instant now) {
    return db.inTransaction(
        tx -> {
          if (seals.lock(tx, SealedTable.PUBLISHER_KEY, "key_id = ?", keyId).isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no publisher key '" + keyId + "'");
          }
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "UPDATE publisher_key SET status = ?, revoked_at = COALESCE(revoked_at, ?)"
                      + " WHERE key_id = ?")) {
            ps.setString(1, PublisherKey.REVOKED);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, keyId);
            ps.executeUpdate();
          }
          seals.seal(tx, RowSeals.key(SealedTable.PUBLISHER_KEY, keyId));
          audit.append(
              tx,
              new AuditEvent(
                  "publisher-key.revoked", actor, "publisher-key:" + keyId, "ok", Map.of()),
              now);
          return find(tx, keyId);
        });
  }

  /**
   * Whether {@code keyId} is a trusted, unrevoked publisher key, read within {@code tx}.
   *
   * @throws ProblemException {@code state-tampered} when its row fails its seal
   */
  public boolean isActive(Connection tx, String keyId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT * FROM publisher_key WHERE key_id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && PublisherKey.ACTIVE.equals(row(rs).status());
      }
    }
  }

  public List<PublisherKey> list() {
    return db.read(tx -> query(tx, "SELECT * FROM publisher_key ORDER BY key_id"));
  }

  /** The active keys as a key ring, for verifying a manifest signature. */
  public PublisherKeyRing ring() {
    List<PublisherKey> active =
        db.read(
            tx ->
                query(
                    tx,
                    "SELECT * FROM publisher_key WHERE status = '"
                        + PublisherKey.ACTIVE
                        + "' ORDER BY key_id"));
    PublisherKeyRing ring = PublisherKeyRing.empty();
    try {
      for (PublisherKey k : active) {
        ring =
            ring.with(
                PublisherPublicKey.of(
                    k.keyId(),
                    SignatureAlgorithm.fromLabel(k.algorithm()),
                    Base64.getUrlDecoder().decode(k.publicKey())));
      }
    } catch (SignatureException e) {
      throw new IllegalStateException("a stored publisher key no longer parses", e);
    }
    return ring;
  }

  private PublisherKey find(Connection tx, String keyId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT * FROM publisher_key WHERE key_id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return row(rs);
      }
    }
  }

  private List<PublisherKey> query(Connection tx, String sql) throws SQLException {
    List<PublisherKey> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  /** The row at {@code rs} (selected with {@code *}), verified against its seal. */
  private PublisherKey row(ResultSet rs) throws SQLException {
    seals.verify(SealedTable.PUBLISHER_KEY, rs);
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new PublisherKey(
        rs.getString("key_id"),
        rs.getString("algorithm"),
        encode(rs.getBytes("public_key")),
        rs.getString("status"),
        rs.getTimestamp("added_at").toInstant(),
        rs.getString("added_by"),
        revoked == null ? null : revoked.toInstant());
  }

  private static String encode(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
