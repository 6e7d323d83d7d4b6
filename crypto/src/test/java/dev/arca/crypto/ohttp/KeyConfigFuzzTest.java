// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes key configuration decoding, single (RFC 9458 section 3.1) and list ({@code
 * application/ohttp-keys}, section 3.2). Property: an accepted single config re-encodes to the same
 * bytes, and an accepted list survives a round trip. Only {@link OhttpException} may come out.
 */
class KeyConfigFuzzTest {
  @FuzzTest(maxDuration = "12s")
  void fuzz(byte[] input) throws OhttpException {
    try {
      KeyConfig c = KeyConfig.decode(input);
      if (!Arrays.equals(c.encode(), input)) {
        throw new AssertionError("key config does not re-encode to its input");
      }
    } catch (OhttpException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
    try {
      List<KeyConfig> list = KeyConfig.decodeList(input);
      if (!KeyConfig.decodeList(KeyConfig.encodeList(list)).equals(list)) {
        throw new AssertionError("key config list does not round-trip");
      }
    } catch (OhttpException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
