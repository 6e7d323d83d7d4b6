// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ONNX Runtime session created from model bytes in memory. The plaintext model never touches a
 * file: {@link #load} takes a direct buffer, creates the session, and overwrites the buffer with
 * zeros. Thread-safe: ONNX Runtime sessions allow concurrent {@code run} calls.
 */
public final class OnnxModel implements AutoCloseable {
  // Warnings about model opsets and optimizers are for model authors, not device logs.
  private static final OrtEnvironment ENV =
      OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
  private final OrtSession session;

  private OnnxModel(OrtSession session) {
    this.session = session;
  }

  /**
   * Creates a session from a plaintext ONNX model held in a direct buffer, then wipes the buffer
   * (its whole capacity), whether or not loading succeeded.
   *
   * @param plaintextModel a direct buffer positioned at the model's first byte
   * @throws ModelLoadException when ONNX Runtime refuses the model
   */
  public static OnnxModel load(ByteBuffer plaintextModel) throws ModelLoadException {
    if (!plaintextModel.isDirect()) {
      throw new IllegalArgumentException("the model must be in a direct buffer (off-heap)");
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // Never write an optimized copy of the model to disk.
      options.setOptimizedModelFilePath("");
      options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      return new OnnxModel(ENV.createSession(plaintextModel.duplicate(), options));
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load the model: " + e.getMessage());
    } finally {
      Wipe.buffer(plaintextModel);
    }
  }

  /** Input names with their types and shapes (-1 for a dynamic dimension). */
  public Map<String, TensorInfo> inputs() throws ModelLoadException {
    return infos(true);
  }

  /** Output names with their types and shapes. */
  public Map<String, TensorInfo> outputs() throws ModelLoadException {
    return infos(false);
  }

  private Map<String, TensorInfo> infos(boolean inputs) throws ModelLoadException {
    try {
      Map<String, NodeInfo> nodes = inputs ? session.getInputInfo() : session.getOutputInfo();
      Map<String, TensorInfo> out = new LinkedHashMap<>();
      for (var e : nodes.entrySet()) {
        if (e.getValue().getInfo() instanceof TensorInfo ti) {
          out.put(e.getKey(), ti);
        }
      }
      return out;
    } catch (OrtException e) {
      throw new ModelLoadException("cannot read the model's signature: " + e.getMessage());
    }
  }

  /**
   * Runs the model.
   *
   * @param inputs tensors by input name
   * @return every output by name
   * @throws TensorFormatException when an input is missing or does not fit the model
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputs)
      throws TensorFormatException, ModelLoadException {
    Map<String, OnnxTensor> ortInputs = new LinkedHashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        ortInputs.put(e.getKey(), toOrt(e.getValue()));
      }
      try (OrtSession.Result result = session.run(ortInputs)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          out.put(e.getKey(), fromOrt(e.getKey(), (OnnxTensor) e.getValue()));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new TensorFormatException(
          "tensor.rejected-by-model", "the model refused the inputs: " + e.getMessage());
    } finally {
      ortInputs.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor toOrt(Tensor t) throws OrtException {
    ByteBuffer direct = ByteBuffer.allocateDirect(t.data().length).order(ByteOrder.nativeOrder());
    ByteBuffer le = t.buffer();
    long[] shape = t.shape();
    return switch (t.type()) {
      case FLOAT -> {
        direct.asFloatBuffer().put(le.asFloatBuffer());
        yield OnnxTensor.createTensor(ENV, direct.asFloatBuffer(), shape);
      }
      case DOUBLE -> {
        direct.asDoubleBuffer().put(le.asDoubleBuffer());
        yield OnnxTensor.createTensor(ENV, direct.asDoubleBuffer(), shape);
      }
      case INT32 -> {
        direct.asIntBuffer().put(le.asIntBuffer());
        yield OnnxTensor.createTensor(ENV, direct.asIntBuffer(), shape);
      }
      case INT64 -> {
        direct.asLongBuffer().put(le.asLongBuffer());
        yield OnnxTensor.createTensor(ENV, direct.asLongBuffer(), shape);
      }
      case INT8, BOOL -> {
        direct.put(le);
        direct.flip();
        yield OnnxTensor.createTensor(
            ENV,
            direct,
            shape,
            t.type() == TensorType.BOOL
                ? ai.onnxruntime.OnnxJavaType.BOOL
                : ai.onnxruntime.OnnxJavaType.INT8);
      }
      case UINT8 -> {
        direct.put(le);
        direct.flip();
        yield OnnxTensor.createTensor(ENV, direct, shape, ai.onnxruntime.OnnxJavaType.UINT8);
      }
    };
  }

  private static Tensor fromOrt(String name, OnnxTensor t)
      throws OrtException, TensorFormatException {
    TensorInfo info = t.getInfo();
    long[] shape = info.getShape();
    ByteBuffer le;
    TensorType type;
    switch (info.type) {
      case FLOAT -> {
        type = TensorType.FLOAT;
        var src = t.getFloatBuffer();
        le = ByteBuffer.allocate(src.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        le.asFloatBuffer().put(src);
      }
      case DOUBLE -> {
        type = TensorType.DOUBLE;
        var src = t.getDoubleBuffer();
        le = ByteBuffer.allocate(src.remaining() * 8).order(ByteOrder.LITTLE_ENDIAN);
        le.asDoubleBuffer().put(src);
      }
      case INT32 -> {
        type = TensorType.INT32;
        var src = t.getIntBuffer();
        le = ByteBuffer.allocate(src.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        le.asIntBuffer().put(src);
      }
      case INT64 -> {
        type = TensorType.INT64;
        var src = t.getLongBuffer();
        le = ByteBuffer.allocate(src.remaining() * 8).order(ByteOrder.LITTLE_ENDIAN);
        le.asLongBuffer().put(src);
      }
      case INT8, UINT8, BOOL -> {
        type =
            switch (info.type) {
              case INT8 -> TensorType.INT8;
              case UINT8 -> TensorType.UINT8;
              default -> TensorType.BOOL;
            };
        var src = t.getByteBuffer();
        le = ByteBuffer.allocate(src.remaining());
        le.put(src);
      }
      default ->
          throw new TensorFormatException(
              "tensor.unsupported-type", "output '" + name + "' has unsupported type " + info.type);
    }
    return new Tensor(name, type, shape, le.array());
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing frees native memory; nothing the caller can do about a failure here.
    }
  }
}
