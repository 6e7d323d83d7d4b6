// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the CBOR decoder: only {@link CborException} may escape, and whatever decodes re-encodes
 * (deterministically) to bytes that decode to the same value.
 */
class CborDecoderFuzzTest {
  private final CborDecoder decoder = CborDecoder.strict();

  @FuzzTest(maxDuration = "10s")
  void decode(byte[] input) throws CborException {
    CborValue v;
    try {
      v = decoder.decode(input);
    } catch (CborException e) {
      return;
    }
    assertThat(decoder.decode(CborEncoder.encode(v))).isEqualTo(v);
  }
}
