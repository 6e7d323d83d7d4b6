// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cca;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;

/**
 * Fuzzes the CCA token parser and verifier (outer tag and map, both COSE_Sign1 tokens, claims, RAK
 * decoding): only {@link EvidenceException} may escape. Seeded with the TF-RMM token.
 */
class CcaVerifierFuzzTest {
  private final CcaVerifier verifier = new CcaVerifier();
  private final VerificationContext context;

  CcaVerifierFuzzTest() throws Exception {
    context =
        VerificationContext.insecureWithoutBinding(CcaVerifierTest.AT)
            .trustedKey(CcaVerifierTest.platformKey())
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
