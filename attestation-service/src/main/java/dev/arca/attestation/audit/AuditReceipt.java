// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where an audit entry landed.
 *
 * @param sequence the entry's leaf index in the transparency log, from 0 (the first entry is 0);
 *     the same number as the receipt's {@code index} and a search line's {@code index}
 * @param receipt the transparency-log receipt of the entry (index, signed checkpoint, inclusion
 *     proof; {@code dev.arca.transparency.log.Receipt#toJson}), or {@code null} for a log without
 *     one
 */
public record AuditReceipt(long sequence, JsonNode receipt) {
  /** A receipt without a transparency-log proof. */
  public AuditReceipt(long sequence) {
    this(sequence, null);
  }
}
