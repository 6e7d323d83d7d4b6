// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;

/**
 * Fuzzes the reader of an entry's {@code replay} record (untrusted: it comes from the log being
 * audited): only {@link ReplayException} may escape, and an accepted record survives its JSON form
 * unchanged.
 */
class AppraisalRecordFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "10s")
  void fromJson(byte[] input) {
    JsonNode node;
    try {
      node = CanonicalJson.parse(input);
    } catch (CanonicalJsonException e) {
      return;
    }
    AppraisalRecord r;
    try {
      r = AppraisalRecord.fromJson(node);
    } catch (ReplayException e) {
      assertThat(e.id()).startsWith("audit.replay.");
      return;
    }
    try {
      assertThat(AppraisalRecord.fromJson(JSON.valueToTree(r.toJson()))).isEqualTo(r);
    } catch (ReplayException e) {
      throw new AssertionError("a record's own JSON did not re-read: " + e.getMessage(), e);
    }
  }
}
