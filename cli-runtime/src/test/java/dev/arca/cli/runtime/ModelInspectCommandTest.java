// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.cli.CliRun;
import dev.arca.cli.ExitCode;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca model inspect}, which the runtime's plugin adds under the core's {@code model}. */
class ModelInspectCommandTest {

  @Test
  void inspectPrintsTheFlagsSealNeedsAsOnnxRuntimeReadsTheModel(@TempDir Path dir)
      throws Exception {
    Path onnx = dir.resolve("conv2d.onnx");
    try (var in = getClass().getResourceAsStream("/vectors/onnx/test_Conv2d/model.onnx")) {
      Files.write(onnx, in.readAllBytes());
    }
    CliRun cli = new CliRun();
    int code = cli.execute("model", "inspect", onnx.toString());
    assertThat(code).as(cli.err()).isEqualTo(ExitCode.OK);
    // The model's own recorded input tensor (an ONNX test vector) fits what inspect says.
    Tensor input;
    try (var in = getClass().getResourceAsStream("/vectors/onnx/test_Conv2d/input_0.pb")) {
      input = TensorProtoCodec.decode(in.readAllBytes(), "0");
    }
    String dims =
        Arrays.stream(input.shape()).mapToObj(Long::toString).collect(Collectors.joining(","));
    assertThat(cli.out().lines())
        .containsExactly("--input 0:float32:" + dims, "--output 3:float32:2,4,5,4");

    Files.writeString(dir.resolve("not.onnx"), "not a model");
    int bad = cli.execute("model", "inspect", dir.resolve("not.onnx").toString());
    assertThat(bad).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("not.onnx").contains("cannot load the model");
  }
}
