package dev.arca.attestation.audit.log;

import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.audit.AuditReceipt;
import dev.arca.attestation.audit.TableAuditLog;
import dev.arca.transparency.json.CanonicalJsonException;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.Receipt;
import dev.arca.transparency.merkle.MerkleProver;
import dev.arca.transparency.merkle.StoredNode;
import dev.arca.transparency.merkle.SubtreeAppender;
import dev.arca.transparency.note.SignedNote;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log as a transparency log in PostgreSQL: the one sequencer behind {@link AuditLog}.
 *
 * <p>Inside the caller's transaction it locks the one-row log head ({@code SELECT ... FOR UPDATE}),
 * so appends from every replica on the database are serialised and indexes are gap-free; writes the
 * entry's canonical leaf and every subtree hash it completes ({@link SubtreeAppender}); signs a
 * checkpoint of the new size; and returns a {@link Receipt} (inclusion proof in that checkpoint).
 * All of it commits with the decision or not at all, so a released key always has its committed
 * entry, and the answer that carries the key also carries the entry's receipt.
 *
 * <p>The entry is also written to the plain {@code audit_entry} table ({@link TableAuditLog}),
 * which {@code GET /v1/audit/entries} serves; the transparency log is the record an auditor
 * verifies.
 */
@ApplicationScoped
@Alternative
@Priority(10)
public class TransparencyAuditLog implements AuditLog {

  @Inject TableAuditLog table;
  @Inject LogSigner signer;

  @Override
  public AuditReceipt append(Connection tx, AuditEvent e, Instant time) throws SQLException {
    AuditReceipt row = table.append(tx, e, time);
    AuditEntry entry;
    try {
      entry = AuditEntry.of(e.kind(), time, e.actor(), facts(e));
    } catch (CanonicalJsonException ex) {
      // Fail closed: a decision that cannot be logged does not take effect.
      throw new SQLException("audit entry cannot be canonicalised: " + ex.getMessage(), ex);
    }
    long index;
    try (PreparedStatement ps =
            tx.prepareStatement("SELECT size FROM tlog_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the transparency log head row is missing");
      }
      index = rs.getLong(1);
    }
    PgLogReader reader = new PgLogReader(tx);
    try {
      List<StoredNode> nodes =
          SubtreeAppender.append(reader.hashReader(), index, List.of(entry.leafHash()));
      insertEntry(tx, index, entry, e);
      insertNodes(tx, nodes);
      long size = index + 1;
      byte[] root = MerkleProver.rootHash(reader.hashReader(), size);
      SignedNote checkpoint = signer.signer().sign(size, root);
      byte[] note = checkpoint.encode();
      try (PreparedStatement ps =
          tx.prepareStatement("INSERT INTO tlog_checkpoint (size, note) VALUES (?, ?)")) {
        ps.setLong(1, size);
        ps.setBytes(2, note);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          tx.prepareStatement("UPDATE tlog_head SET size = ?, checkpoint = ? WHERE id = 1")) {
        ps.setLong(1, size);
        ps.setBytes(2, note);
        ps.executeUpdate();
      }
      Receipt receipt = reader.receipt(index, checkpoint);
      return new AuditReceipt(row.sequence(), receipt.toJson());
    } catch (IOException ex) {
      throw new SQLException("transparency log append failed: " + ex.getMessage(), ex);
    }
  }

  @Override
  public void keepEvidence(Connection tx, byte[] evidence) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO tlog_evidence (sha256, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      ps.setBytes(1, sha256(evidence));
      ps.setBytes(2, evidence);
      ps.executeUpdate();
    }
  }

  /** The entry's facts: the event's subject and outcome beside its details. */
  static Map<String, Object> facts(AuditEvent e) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("subject", e.subject());
    facts.put("outcome", e.outcome());
    facts.put("detail", e.detail());
    return facts;
  }

  private static void insertEntry(Connection tx, long index, AuditEntry entry, AuditEvent e)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO tlog_entry (idx, leaf, leaf_hash, type, actor, subject, outcome,"
                + " logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, index);
      ps.setBytes(2, entry.leafBytes());
      ps.setBytes(3, entry.leafHash());
      ps.setString(4, entry.type());
      ps.setString(5, entry.actor());
      ps.setString(6, e.subject());
      ps.setString(7, e.outcome());
      ps.setTimestamp(8, Timestamp.from(entry.time()));
      ps.executeUpdate();
    }
  }

  private static void insertNodes(Connection tx, List<StoredNode> nodes) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("INSERT INTO tlog_node (level, idx, hash) VALUES (?, ?, ?)")) {
      for (StoredNode n : nodes) {
        ps.setInt(1, n.node().level());
        ps.setLong(2, n.node().index());
        ps.setBytes(3, n.hash());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is missing", ex);
    }
  }
}
