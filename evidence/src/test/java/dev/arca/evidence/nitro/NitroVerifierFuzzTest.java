// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.nitro;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;

/**
 * Fuzzes the Nitro document parser and verifier end to end (CBOR, COSE, payload fields, X.509
 * parsing): only {@link EvidenceException} may escape. Seeded with the real AWS document.
 */
class NitroVerifierFuzzTest {
  private final NitroVerifier verifier = new NitroVerifier();
  private final VerificationContext context =
      VerificationContext.insecureWithoutBinding(NitroVerifierTest.AT).build();

  @FuzzTest(maxDuration = "10s")
  void verify(byte[] input) {
    try {
      verifier.verify(input, context);
    } catch (EvidenceException e) {
      // the typed failure is the expected outcome for mutated input
    }
  }
}
