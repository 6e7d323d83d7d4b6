// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the manifest parser. Property: anything it accepts re-encodes to exactly the same bytes
 * (only canonical manifests are accepted). Only {@link SealException} may come out.
 */
class ManifestFuzzTest {
  @FuzzTest(maxDuration = "12s")
  void fuzz(byte[] input) {
    try {
      Manifest m = Manifest.parse(input);
      if (!Arrays.equals(m.encoded(), input)) {
        throw new AssertionError("accepted a non-canonical manifest");
      }
    } catch (SealException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
