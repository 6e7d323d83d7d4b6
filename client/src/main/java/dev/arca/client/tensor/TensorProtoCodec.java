// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.tensor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ONNX {@code TensorProto} messages (onnx.proto3), the format of the ONNX test
 * data sets, for dense numeric tensors. Decoding accepts {@code raw_data} and the typed repeated
 * fields ({@code float_data}, {@code int32_data}, {@code int64_data}, {@code double_data}, packed
 * or not); encoding always writes {@code dims}, {@code data_type}, {@code name} and {@code
 * raw_data}. Unknown fields are skipped. Every length is checked against the remaining input before
 * anything is allocated. Failure ids: {@code tensor.truncated}, {@code tensor.malformed}, {@code
 * tensor.external-data}, plus those of {@link Tensor} and {@link TensorType}.
 */
public final class TensorProtoCodec {
  private static final int DIMS = 1;
  private static final int DATA_TYPE = 2;
  private static final int FLOAT_DATA = 4;
  private static final int INT32_DATA = 5;
  private static final int INT64_DATA = 7;
  private static final int NAME = 8;
  private static final int RAW_DATA = 9;
  private static final int DOUBLE_DATA = 10;
  private static final int DATA_LOCATION = 14;

  private TensorProtoCodec() {}

  /**
   * Decodes a TensorProto.
   *
   * @param defaultName the name to use when the message has none (ONNX test data often has none)
   */
  public static Tensor decode(byte[] message, String defaultName) throws TensorFormatException {
    Reader r = new Reader(message);
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = null;
    byte[] raw = null;
    ByteArrayOutputStream typed = new ByteArrayOutputStream();
    List<Long> int32Data = new ArrayList<>();
    while (r.hasMore()) {
      long key = r.varint();
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      switch (field) {
        case DIMS -> r.repeatedVarints(wire, dims::add);
        case DATA_TYPE -> dataType = (int) r.expectVarint(wire);
        case NAME -> name = new String(r.lengthDelimited(wire), StandardCharsets.UTF_8);
        case RAW_DATA -> raw = r.lengthDelimited(wire);
        case FLOAT_DATA -> r.repeatedFixed(wire, 4, typed);
        case DOUBLE_DATA -> r.repeatedFixed(wire, 8, typed);
        case INT32_DATA -> r.repeatedVarints(wire, int32Data::add);
        case INT64_DATA -> r.repeatedVarints(wire, v -> writeLe(typed, v, 8));
        case DATA_LOCATION -> {
          if (r.expectVarint(wire) != 0) {
            throw new TensorFormatException(
                "tensor.external-data", "tensors stored in external files are not accepted");
          }
        }
        default -> r.skip(wire);
      }
    }
    TensorType type = TensorType.ofOnnxCode(dataType);
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    if (raw == null && !int32Data.isEmpty()) {
      // int32_data carries int32 and every narrower integer type, one element per entry.
      for (long v : int32Data) {
        writeLe(typed, v, type.elementSize());
      }
    }
    byte[] data = raw != null ? raw : typed.toByteArray();
    return new Tensor(name == null || name.isEmpty() ? defaultName : name, type, shape, data);
  }

  /** Encodes a tensor as a TensorProto with {@code raw_data}. */
  public static byte[] encode(Tensor t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long d : t.shape()) {
      writeVarint(out, (DIMS << 3));
      writeVarint(out, d);
    }
    writeVarint(out, (DATA_TYPE << 3));
    writeVarint(out, t.type().onnxCode());
    byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
    writeVarint(out, (NAME << 3) | 2);
    writeVarint(out, name.length);
    out.writeBytes(name);
    byte[] data = t.data();
    writeVarint(out, (RAW_DATA << 3) | 2);
    writeVarint(out, data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static void writeLe(ByteArrayOutputStream out, long v, int size) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
    out.write(b.array(), 0, size);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Consumes a value of a repeated field. */
  private interface LongSink {
    void accept(Long v);
  }

  /** Protobuf wire-format reader over a byte array, bounds-checked. */
  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    boolean hasMore() {
      return pos < b.length;
    }

    long varint() throws TensorFormatException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= b.length) {
          throw truncated();
        }
        int x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new TensorFormatException("tensor.malformed", "a varint is longer than 10 bytes");
    }

    long expectVarint(int wire) throws TensorFormatException {
      if (wire != 0) {
        throw new TensorFormatException("tensor.malformed", "expected a varint, wire type " + wire);
      }
      return varint();
    }

    byte[] lengthDelimited(int wire) throws TensorFormatException {
      if (wire != 2) {
        throw new TensorFormatException("tensor.malformed", "expected bytes, wire type " + wire);
      }
      int n = length();
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    void repeatedVarints(int wire, LongSink sink) throws TensorFormatException {
      if (wire == 0) {
        sink.accept(varint());
        return;
      }
      byte[] packed = lengthDelimited(wire);
      Reader inner = new Reader(packed);
      while (inner.hasMore()) {
        sink.accept(inner.varint());
      }
    }

    void repeatedFixed(int wire, int size, ByteArrayOutputStream out) throws TensorFormatException {
      if ((size == 4 && wire == 5) || (size == 8 && wire == 1)) {
        need(size);
        out.write(b, pos, size);
        pos += size;
        return;
      }
      byte[] packed = lengthDelimited(wire);
      if (packed.length % size != 0) {
        throw new TensorFormatException(
            "tensor.malformed",
            "packed data of " + packed.length + " bytes is not a multiple of " + size);
      }
      out.writeBytes(packed);
    }

    void skip(int wire) throws TensorFormatException {
      switch (wire) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default ->
            throw new TensorFormatException("tensor.malformed", "unsupported wire type " + wire);
      }
    }

    private int length() throws TensorFormatException {
      long n = varint();
      if (n < 0 || n > b.length - pos) {
        throw truncated();
      }
      return (int) n;
    }

    private void advance(int n) throws TensorFormatException {
      need(n);
      pos += n;
    }

    private void need(int n) throws TensorFormatException {
      if (n > b.length - pos) {
        throw truncated();
      }
    }

    private TensorFormatException truncated() {
      return new TensorFormatException(
          "tensor.truncated",
          "the TensorProto ends early (at byte " + pos + " of " + b.length + ")");
    }
  }
}
