package dev.arca.runtime.infer;

/**
 * The ONNX tensor element types Arca carries, with their {@code TensorProto.DataType} codes and
 * element sizes. Strings are not supported: inference payloads carry numeric tensors only.
 */
public enum TensorType {
  FLOAT(1, 4),
  UINT8(2, 1),
  INT8(3, 1),
  INT32(6, 4),
  INT64(7, 8),
  BOOL(9, 1),
  DOUBLE(11, 8);

  private final int onnxCode;
  private final int elementSize;

  TensorType(int onnxCode, int elementSize) {
    this.onnxCode = onnxCode;
    this.elementSize = elementSize;
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

  /** The manifest's name for this type (lower case, e.g. {@code float}, {@code int64}). */
  public String manifestName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
