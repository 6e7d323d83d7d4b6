// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;

/**
 * Fuzzes {@link KeyDescriptionParser} (project pattern: docs/testing.md). Seed: the TEE vector's
 * key description in {@code KeyDescriptionFuzzTestInputs/fuzzKeyDescription/}. Anything but an
 * {@link EvidenceException} escaping is a finding.
 */
class KeyDescriptionFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void fuzzKeyDescription(byte[] data) {
    try {
      KeyDescription d = KeyDescriptionParser.parse(data);
      // Whatever parsed must be presentable as raw claims (the verifier does this next).
      assertThat(d.toClaims()).containsKey("attestationChallenge");
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("android.key-description."));
    }
  }
}
