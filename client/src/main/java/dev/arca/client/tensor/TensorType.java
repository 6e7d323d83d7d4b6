// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.tensor;

/**
 * The ONNX tensor element types Arca carries, with their {@code TensorProto.DataType} codes and
 * element sizes. Strings are not supported: inference payloads carry numeric tensors only.
 */
public enum TensorType {
  FLOAT(1, 4, "float32"),
  UINT8(2, 1, "uint8"),
  INT8(3, 1, "int8"),
  INT32(6, 4, "int32"),
  INT64(7, 8, "int64"),
  BOOL(9, 1, "bool"),
  DOUBLE(11, 8, "float64");

  private final int onnxCode;
  private final int elementSize;
  private final String manifestName;

  TensorType(int onnxCode, int elementSize, String manifestName) {
    this.onnxCode = onnxCode;
    this.elementSize = elementSize;
    this.manifestName = manifestName;
  }

  /** The {@code TensorProto.DataType} number. */
  public int onnxCode() {
    return onnxCode;
  }

  /** Bytes per element. */
  public int elementSize() {
    return elementSize;
  }

  /**
   * Returns the type with this ONNX element-type code.
   *
   * @throws TensorFormatException when the code is not a supported type
   */
  public static TensorType ofOnnxCode(int code) throws TensorFormatException {
    for (TensorType t : values()) {
      if (t.onnxCode == code) {
        return t;
      }
    }
    throw new TensorFormatException(
        "tensor.unsupported-type",
        "ONNX data type "
            + code
            + " is not supported; use float, double, int8/32/64, uint8 or bool");
  }

  /** The sealed-model manifest's name for this type (e.g. {@code float32}, {@code int64}). */
  public String manifestName() {
    return manifestName;
  }

  /**
   * Returns the type with this manifest name.
   *
   * @throws TensorFormatException when no supported type has that manifest name
   */
  public static TensorType ofManifestName(String name) throws TensorFormatException {
    for (TensorType t : values()) {
      if (t.manifestName.equals(name)) {
        return t;
      }
    }
    throw new TensorFormatException(
        "tensor.unsupported-type", "element type '" + name + "' is not supported");
  }
}
