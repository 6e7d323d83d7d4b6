// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;

/**
 * Fuzzes the TPMT_PUBLIC parser, Name computation and key conversion. Only {@link
 * EvidenceException} may come out; an accepted key has a Name of nameAlg plus its digest.
 */
class TpmtPublicFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    try {
      TpmtPublic p = TpmtPublic.parse(input);
      if (p.name().length != 2 + TpmAlg.digestSize(p.nameAlg())) {
        throw new AssertionError("Name has the wrong length");
      }
      p.toPublicKey();
    } catch (EvidenceException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
