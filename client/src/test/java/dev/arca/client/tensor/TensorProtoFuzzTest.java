// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.tensor;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes TensorProto decoding, the first parser an inference request reaches. Property: an accepted
 * tensor re-encodes and decodes to itself. Only {@link TensorFormatException} may come out, and no
 * length field may allocate beyond the input.
 */
class TensorProtoFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) throws TensorFormatException {
    try {
      Tensor t = TensorProtoCodec.decode(input, "x");
      if (!TensorProtoCodec.decode(TensorProtoCodec.encode(t), "y").equals(t)) {
        throw new AssertionError("a decoded tensor does not round-trip");
      }
    } catch (TensorFormatException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
