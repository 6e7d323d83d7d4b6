// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.Receipt;
import dev.arca.transparency.note.MalformedNoteException;

/**
 * Fuzzes the strict JSON parser, the canonicalizer, the audit entry reader and the receipt reader:
 * only {@link CanonicalJsonException} (and {@link MalformedNoteException} from receipts) may
 * escape; canonical output parses back to itself (idempotence); an accepted audit entry's leaf
 * bytes are exactly the input.
 */
class CanonicalJsonFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void canonicalize(byte[] input) {
    JsonNode node;
    byte[] canonical;
    try {
      node = CanonicalJson.parse(input);
      canonical = CanonicalJson.canonicalize(node);
    } catch (CanonicalJsonException e) {
      return;
    }
    try {
      assertThat(CanonicalJson.canonicalize(CanonicalJson.parseCanonical(canonical)))
          .isEqualTo(canonical);
    } catch (CanonicalJsonException e) {
      throw new AssertionError("canonical output did not re-parse: " + e.getMessage(), e);
    }
    try {
      assertThat(AuditEntry.fromLeafBytes(input).leafBytes()).isEqualTo(input);
    } catch (CanonicalJsonException e) {
      // not an audit entry: fine
    }
    try {
      Receipt r = Receipt.fromJson(node);
      assertThat(Receipt.fromJson(r.toJson())).isEqualTo(r);
    } catch (MalformedNoteException e) {
      // not a receipt: fine
    }
  }
}
