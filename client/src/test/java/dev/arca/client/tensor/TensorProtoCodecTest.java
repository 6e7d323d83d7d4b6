// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorProtoCodecTest {

  @Test
  void roundTrips() throws Exception {
    Tensor t = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1f, 2f, 3f, 4f});
    assertThat(TensorProtoCodec.decode(TensorProtoCodec.encode(t), "ignored")).isEqualTo(t);
  }

  @Test
  void defaultNameIsUsedWhenTheMessageHasNone() throws Exception {
    // dims=[1], data_type=FLOAT, float_data packed [1.0]
    byte[] msg = {0x08, 0x01, 0x10, 0x01, 0x22, 0x04, 0x00, 0x00, (byte) 0x80, 0x3f};
    Tensor t = TensorProtoCodec.decode(msg, "input");
    assertThat(t.name()).isEqualTo("input");
    assertThat(t.floats()).containsExactly(1f);
  }

  @Test
  void everyTruncationFailsWithAnId() throws Exception {
    byte[] full =
        TensorProtoCodec.encode(Tensor.ofFloats("x", new long[] {3}, new float[] {1, 2, 3}));
    for (int n = 1; n < full.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(full, n);
      assertThatThrownBy(() -> TensorProtoCodec.decode(cut, "x"))
          .as("cut at %d", n)
          .isInstanceOf(TensorFormatException.class);
    }
  }

  @Test
  void anOverlongLengthDoesNotAllocate() {
    // raw_data claiming 2^31 bytes in a 10-byte message
    byte[] msg = {0x10, 0x01, 0x4a, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
    assertThatThrownBy(() -> TensorProtoCodec.decode(msg, "x"))
        .isInstanceOfSatisfying(
            TensorFormatException.class, e -> assertThat(e.id()).isEqualTo("tensor.truncated"));
  }

  @Test
  void externalDataAndStringsAreRefused() {
    byte[] external = {0x10, 0x01, 0x70, 0x01};
    assertThatThrownBy(() -> TensorProtoCodec.decode(external, "x"))
        .isInstanceOfSatisfying(
            TensorFormatException.class, e -> assertThat(e.id()).isEqualTo("tensor.external-data"));
    byte[] strings = {0x10, 0x08};
    assertThatThrownBy(() -> TensorProtoCodec.decode(strings, "x"))
        .isInstanceOfSatisfying(
            TensorFormatException.class,
            e -> assertThat(e.id()).isEqualTo("tensor.unsupported-type"));
  }

  @Test
  void aShapeWhoseSizeOverflowsIsRefused() {
    // dims = [2^62, 4], FLOAT: the byte count overflows a long (found by the fuzzer).
    byte[] msg = {
      0x08,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      0x40,
      0x08,
      0x04,
      0x10,
      0x01
    };
    assertThatThrownBy(() -> TensorProtoCodec.decode(msg, "x"))
        .isInstanceOfSatisfying(
            TensorFormatException.class, e -> assertThat(e.id()).isEqualTo("tensor.bad-shape"));
  }
}
