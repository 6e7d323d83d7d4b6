// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named, dense tensor: element type, shape and the elements as little-endian bytes in row-major
 * order (the ONNX {@code raw_data} layout). Immutable.
 */
public final class Tensor {
  private final String name;
  private final TensorType type;
  private final long[] shape;
  private final byte[] data;

  /**
   * @throws TensorFormatException when a dimension is negative or the data length does not equal
   *     the element count times the element size
   */
  public Tensor(String name, TensorType type, long[] shape, byte[] data)
      throws TensorFormatException {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.shape = shape.clone();
    long expected = byteCount(this.shape, type);
    if (expected != data.length) {
      throw new TensorFormatException(
          "tensor.size-mismatch",
          "tensor '"
              + name
              + "' of shape "
              + Arrays.toString(shape)
              + " needs "
              + expected
              + " bytes of "
              + type.manifestName()
              + " but has "
              + data.length);
    }
    this.data = data.clone();
  }

  /** A float tensor. */
  public static Tensor ofFloats(String name, long[] shape, float[] values)
      throws TensorFormatException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new Tensor(name, TensorType.FLOAT, shape, b.array());
  }

  /** The number of elements of a shape. */
  public static long elementCount(long[] shape) throws TensorFormatException {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new TensorFormatException(
            "tensor.bad-shape", "dimension " + d + " is negative in " + Arrays.toString(shape));
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw tooLarge(shape);
      }
    }
    return n;
  }

  private static long byteCount(long[] shape, TensorType type) throws TensorFormatException {
    try {
      return Math.multiplyExact(elementCount(shape), (long) type.elementSize());
    } catch (ArithmeticException e) {
      throw tooLarge(shape);
    }
  }

  private static TensorFormatException tooLarge(long[] shape) {
    return new TensorFormatException(
        "tensor.bad-shape", "shape " + Arrays.toString(shape) + " has too many elements");
  }

  public String name() {
    return name;
  }

  /** The same tensor under another name. */
  public Tensor named(String newName) {
    try {
      return new Tensor(newName, type, shape, data);
    } catch (TensorFormatException e) {
      throw new IllegalStateException("a valid tensor stays valid when renamed", e);
    }
  }

  public TensorType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The little-endian element bytes (a copy). */
  public byte[] data() {
    return data.clone();
  }

  /** A read-only little-endian view of the elements, without copying. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The elements as floats. */
  public float[] floats() {
    if (type != TensorType.FLOAT) {
      throw new IllegalStateException("tensor '" + name + "' is " + type.manifestName());
    }
    float[] out = new float[data.length / 4];
    buffer().asFloatBuffer().get(out);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && t.name.equals(name)
        && t.type == type
        && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    // Never the values: tensors may hold PHI.
    return "Tensor[" + name + " " + type.manifestName() + Arrays.toString(shape) + "]";
  }
}
