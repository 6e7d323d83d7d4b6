// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;

/**
 * Fuzzes the TCG event log parser (SHA-1 and crypto-agile), replay and summary. Only {@link
 * EvidenceException} may come out; length fields cannot make it allocate more than the input.
 */
class EventLogFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    try {
      EventLog log = EventLog.parse(input);
      log.summary();
      for (int alg : new int[] {TpmAlg.SHA1, TpmAlg.SHA256}) {
        if (log.covers(alg)) {
          log.replay(alg);
        }
      }
    } catch (EvidenceException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
