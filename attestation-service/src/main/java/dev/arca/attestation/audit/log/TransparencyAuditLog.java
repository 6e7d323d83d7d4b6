// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.audit.AuditReceipt;
import dev.arca.attestation.storage.Database;
import dev.arca.crypto.Sha256;
import dev.arca.transparency.json.CanonicalJsonException;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.Receipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log: a transparency log in PostgreSQL, behind {@link AuditLog}, and the service's only
 * audit store (the plain {@code audit_entry} table it once also wrote is dropped by {@code
 * V40__retire_audit_entry.sql}). Auditors read it through {@code GET /v1/audit/search}, {@code
 * /v1/audit/export} and the tiles; every entry written here is one leaf, and every leaf an
 * inclusion proof can cover.
 *
 * <p>{@link #append} canonicalises the event, hands the entry and the blobs it refers to to the
 * {@link LogSequencer} and waits until the sequencer has committed them (group commit, one writer
 * per replica, the log-head row lock across replicas). It returns the entry's leaf index as {@link
 * AuditReceipt#sequence()} (0-based, the same number as the receipt's {@code index} and the {@code
 * index} of a search line) and its {@link Receipt}. The caller's own transaction commits after
 * that: a decision never takes effect — and a key is never released — before its entry is durable.
 * The reverse can happen: a crash after the entry's commit and before the decision's leaves an
 * entry for a decision that did not take effect; the log may over-report, never under-report.
 * Nothing is written in the caller's transaction {@code tx} itself.
 */
@ApplicationScoped
public class TransparencyAuditLog implements AuditLog {

  @Inject LogSequencer sequencer;
  @Inject Database db;

  @Override
  public AuditReceipt append(Connection tx, AuditEvent e, Instant time) throws SQLException {
    return append(tx, e, time, List.of());
  }

  @Override
  public AuditReceipt append(Connection tx, AuditEvent e, Instant time, List<byte[]> kept)
      throws SQLException {
    AuditEntry entry;
    try {
      entry = AuditEntry.of(e.kind(), time, e.actor(), facts(e));
    } catch (CanonicalJsonException ex) {
      // Fail closed: a decision that cannot be logged does not take effect.
      throw new SQLException("audit entry cannot be canonicalised: " + ex.getMessage(), ex);
    }
    List<byte[]> digests = new ArrayList<>(kept.size());
    for (byte[] blob : kept) {
      digests.add(Sha256.hash(blob));
    }
    Receipt receipt =
        sequencer.append(
            new LogSequencer.Submission(entry, e.subject(), e.outcome(), kept, digests));
    return new AuditReceipt(receipt.index(), receipt.toJson());
  }

  /**
   * Keeps a blob in a short transaction of its own, committed before the caller's entry is appended
   * (so the blob is durable no later than the entry), and never held open in the caller's
   * transaction, where it could block the sequencer writing the same digest. Prefer {@link
   * #append(Connection, AuditEvent, Instant, List)}, which ships blobs in the entry's batch.
   */
  @Override
  public void keepEvidence(Connection tx, byte[] evidence) throws SQLException {
    byte[] digest = Sha256.hash(evidence);
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO tlog_evidence (sha256, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setBytes(1, digest);
            ps.setBytes(2, evidence);
            return ps.executeUpdate();
          }
        });
  }

  /** The entry's facts: the event's subject and outcome beside its details. */
  static Map<String, Object> facts(AuditEvent e) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("subject", e.subject());
    facts.put("outcome", e.outcome());
    facts.put("detail", e.detail());
    return facts;
  }
}
