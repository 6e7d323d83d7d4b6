// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One model input or output: name, element type (ONNX names such as {@code float32}, {@code int64})
 * and shape, where -1 marks a dynamic dimension. Immutable.
 */
public final class TensorSpec {
  private final String name;
  private final String elementType;
  private final long[] shape;

  private TensorSpec(String name, String elementType, long[] shape) {
    this.name = name;
    this.elementType = elementType;
    this.shape = shape;
  }

  /**
   * Creates a tensor spec.
   *
   * @throws IllegalArgumentException for an empty name or type, more than 16 dimensions, or a
   *     dimension below -1
   */
  public static TensorSpec of(String name, String elementType, long... shape) {
    if (name == null || name.isEmpty() || name.length() > 256) {
      throw new IllegalArgumentException("tensor name must be 1-256 characters");
    }
    if (elementType == null || !elementType.matches("[a-z0-9_]{1,32}")) {
      throw new IllegalArgumentException("element type must match [a-z0-9_]{1,32}");
    }
    if (shape.length > 16) {
      throw new IllegalArgumentException("at most 16 dimensions");
    }
    for (long d : shape) {
      if (d < -1) {
        throw new IllegalArgumentException("dimension must be >= -1 (-1 = dynamic)");
      }
    }
    return new TensorSpec(name, elementType, shape.clone());
  }

  public String name() {
    return name;
  }

  public String elementType() {
    return elementType;
  }

  /** The shape (a copy); -1 is a dynamic dimension. */
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TensorSpec t)) {
      return false;
    }

    return t.name.equals(name)
        && t.elementType.equals(elementType)
        && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, elementType, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ":" + elementType + Arrays.toString(shape);
  }
}
