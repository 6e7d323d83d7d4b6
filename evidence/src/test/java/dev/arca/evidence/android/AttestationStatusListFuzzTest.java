// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;

/**
 * Fuzzes {@link AttestationStatusList#parse} (collateral from outside; project pattern:
 * docs/testing.md). Seed: a test-made list in the documented shape. Anything but an {@link
 * EvidenceException} escaping is a finding.
 */
class AttestationStatusListFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void fuzzStatusList(byte[] data) {
    try {
      AttestationStatusList list = AttestationStatusList.parse(data);
      assertThat(list.size()).isNotNegative();
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("android.status.malformed");
    }
  }
}
