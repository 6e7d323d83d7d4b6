// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import ai.onnxruntime.TensorInfo;
import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorType;
import dev.arca.runtime.model.ModelLoadException;
import dev.arca.runtime.model.OnnxModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arca model inspect}: an ONNX model's inputs and outputs, printed as the {@code --input}
 * and {@code --output} flags {@code arca model seal} takes, read by ONNX Runtime itself.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Print an ONNX model's inputs and outputs as model seal's --input/--output flags.",
      "Names, element types and shapes as ONNX Runtime reads them (-1: a dynamic dimension).",
      "Exit 0 ok, 2 unreadable file or not a model ONNX Runtime can load."
    })
public final class ModelInspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "<model.onnx>", description = "The plaintext ONNX model.")
  Path model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      byte[] bytes = Files.readAllBytes(model);
      ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
      try (OnnxModel m = OnnxModel.load(direct)) {
        print(out, "--input", m.inputs());
        print(out, "--output", m.outputs());
      }
      out.flush();
      return ExitCode.OK;
    } catch (IOException e) {
      err.println("arca: " + IoErrors.describe(e));
    } catch (ModelLoadException | TensorFormatException e) {
      err.println("arca: " + model + ": " + e.getMessage());
    }
    return ExitCode.USAGE;
  }

  /** ONNX Runtime's element type as a manifest type (its enum numbers are not ONNX's codes). */
  private static String elementType(String name, TensorInfo.OnnxTensorType type)
      throws TensorFormatException {
    TensorType t =
        switch (type) {
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> TensorType.FLOAT;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> TensorType.DOUBLE;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> TensorType.UINT8;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> TensorType.INT8;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> TensorType.INT32;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> TensorType.INT64;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> TensorType.BOOL;
          default ->
              throw new TensorFormatException(
                  "tensor.unsupported-type",
                  "tensor '" + name + "' has element type " + type + ", which Arca does not carry");
        };
    return t.manifestName();
  }

  private static void print(PrintWriter out, String flag, Map<String, TensorInfo> tensors)
      throws TensorFormatException {
    for (Map.Entry<String, TensorInfo> t : tensors.entrySet()) {
      String type = elementType(t.getKey(), t.getValue().onnxType);
      String dims =
          Arrays.stream(t.getValue().getShape())
              .mapToObj(Long::toString)
              .collect(Collectors.joining(","));
      out.println(flag + " " + t.getKey() + ":" + type + ":" + dims);
    }
  }
}
