// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the TPMT_SIGNATURE parser and signature verification with the GCP vector's RSA AK. Only
 * {@link EvidenceException} may come out, and no mutated signature may verify over the mutated
 * bytes.
 */
class TpmtSignatureFuzzTest {
  private static final TpmtPublic AK = load();

  private static TpmtPublic load() {
    try {
      return TpmtPublic.parse(
          Files.readAllBytes(Path.of("src/test/resources/vectors/tpm/ak_tpmt_public.bin")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (EvidenceException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    try {
      TpmtSignature s = TpmtSignature.parse(input);
      QuoteSignature.verify(AK, s, input);
      throw new AssertionError("a signature over its own bytes verified");
    } catch (EvidenceException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
