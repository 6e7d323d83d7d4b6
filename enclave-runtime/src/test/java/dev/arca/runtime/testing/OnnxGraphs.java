// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds small ONNX graphs in memory (protobuf wire format of onnx.proto, written by hand) so tests
 * and benchmarks can make models that never exist as a file: a model whose weights are random bytes
 * is the only way to be sure a plaintext scan finds nothing by accident, and a 100 MB model is too
 * large to commit.
 */
public final class OnnxGraphs {
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  private OnnxGraphs() {}

  /** {@code y = x + w}: float32 input {@code x} and output {@code y} of shape [n], w is given. */
  public static byte[] add(float[] w) {
    long n = w.length;
    Proto graph =
        new Proto()
            .message(1, node("Add", new String[] {"x", "w"}, "y"))
            .string(2, "arca-add")
            .message(5, floatInitializer("w", w))
            .message(11, valueInfo("x", FLOAT, n))
            .message(12, valueInfo("y", FLOAT, n));
    return model(graph);
  }

  /**
   * {@code y = w[i]}: a large float32 initializer {@code w} of {@code weights.length / 4} elements
   * (raw little-endian bytes), int64 input {@code i} of shape [1], float32 output {@code y} [1].
   */
  public static byte[] gather(byte[] weights) {
    Proto graph =
        new Proto()
            .message(1, node("Gather", new String[] {"w", "i"}, "y"))
            .string(2, "arca-gather")
            .message(
                5,
                new Proto()
                    .varint(1, weights.length / 4)
                    .varint(2, FLOAT)
                    .string(8, "w")
                    .bytes(9, weights))
            .message(11, valueInfo("i", INT64, 1))
            .message(12, valueInfo("y", FLOAT, 1));
    return model(graph);
  }

  private static byte[] model(Proto graph) {
    return new Proto()
        .varint(1, 8) // ir_version
        .string(2, "arca-tests") // producer_name
        .message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, 13)) // opset_import: ai.onnx 13
        .toByteArray();
  }

  private static Proto node(String op, String[] inputs, String output) {
    Proto p = new Proto();
    for (String in : inputs) {
      p.string(1, in);
    }
    return p.string(2, output).string(3, op.toLowerCase(java.util.Locale.ROOT)).string(4, op);
  }

  private static Proto floatInitializer(String name, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return new Proto()
        .varint(1, values.length)
        .varint(2, FLOAT)
        .string(8, name)
        .bytes(9, raw.array());
  }

  private static Proto valueInfo(String name, int elemType, long dim) {
    Proto shape = new Proto().message(1, new Proto().varint(1, dim));
    Proto tensor = new Proto().varint(1, elemType).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  /** A protobuf message being written: varint and length-delimited fields only. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      writeVarint(field << 3);
      writeVarint(value);
      return this;
    }

    Proto bytes(int field, byte[] value) {
      writeVarint((field << 3) | 2);
      writeVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto value) {
      return bytes(field, value.toByteArray());
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }

    private void writeVarint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
