// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import java.util.Arrays;

/**
 * Fuzzes the TPMS_ATTEST parser. Only {@link EvidenceException} may come out; an accepted input
 * keeps its exact bytes (what the signature covers).
 */
class TpmsAttestFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    try {
      TpmsAttest a = TpmsAttest.parse(input);
      if (!Arrays.equals(a.encoded(), input)) {
        throw new AssertionError("parsed TPMS_ATTEST does not keep its bytes");
      }
      a.pcrSelections().forEach(PcrSelection::bank);
    } catch (EvidenceException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
