// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;

/**
 * Fuzzes the PSA token parser and verifier (CBOR, COSE, both claim profiles): only {@link
 * EvidenceException} may escape. Seeded with the TF-M token.
 */
class PsaVerifierFuzzTest {
  private final PsaVerifier verifier = new PsaVerifier();
  private final VerificationContext context;

  PsaVerifierFuzzTest() throws Exception {
    context =
        VerificationContext.insecureWithoutBinding(PsaVerifierTest.AT)
            .trustedKey(PsaVerifierTest.tfmKey())
            .build();
  }

  @FuzzTest(maxDuration = "10s")
  void verify(byte[] input) {
    try {
      verifier.verify(input, context);
    } catch (EvidenceException e) {
      // the typed failure is the expected outcome for mutated input
    }
  }
}
