// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The one place every security decision is written. {@link #append} returns only when the entry is
 * durable, and before the caller's transaction {@code tx} commits; so a decision never takes effect
 * (no key is released) unless its audit entry is committed. If the caller then rolls back, the
 * entry stays: the log may record a decision that did not take effect, never miss one that did.
 *
 * <p>The one implementation is the transparency log ({@code audit.log.TransparencyAuditLog}), which
 * sequences each event into the Merkle log as exactly one leaf, with group commit.
 */
public interface AuditLog {

  /**
   * Appends {@code event} at {@code time} within {@code tx}.
   *
   * @return the entry's position in the log (its 0-based leaf index) and its receipt
   * @throws SQLException when the entry cannot be written; the caller's transaction then rolls back
   */
  AuditReceipt append(Connection tx, AuditEvent event, Instant time) throws SQLException;

  /**
   * Appends {@code event} together with the blobs its details refer to by SHA-256 (evidence,
   * enrolment, policy document), so an auditor can fetch them by digest. The blobs are durable no
   * later than the entry. The default keeps each with {@link #keepEvidence} and then appends.
   *
   * @throws SQLException when the entry or a blob cannot be written; the caller's transaction then
   *     rolls back
   */
  default AuditReceipt append(Connection tx, AuditEvent event, Instant time, List<byte[]> kept)
      throws SQLException {
    for (byte[] blob : kept) {
      keepEvidence(tx, blob);
    }
    return append(tx, event, time);
  }

  /**
   * Keeps {@code evidence} (content-addressed by SHA-256) within {@code tx}, so the appraisal its
   * entry records can be re-run later. The default keeps nothing.
   *
   * @throws SQLException when it cannot be written; the caller's transaction then rolls back
   */
  default void keepEvidence(Connection tx, byte[] evidence) throws SQLException {}
}
