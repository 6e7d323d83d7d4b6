// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.runtime.model.OnnxModel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** The publisher's path through the CLI: keygen, seal, trust the key, publish. */
final class ModelPublishing {
  private ModelPublishing() {}

  /** What {@code model trust} and {@code model publish} printed. */
  record Outputs(String trust, String publish) {}

  /**
   * Publishes the demo's conv2d model as {@code conv2d} v1 for the data class {@code synthetic},
   * signed by a new publisher key {@code keyId}, with the publisher's keys under {@code dir}.
   *
   * @param service the CLI's service and profile arguments ({@code --service url --as profile})
   */
  static Outputs publishConv2d(Cli cli, Path dir, String keyId, String... service)
      throws Exception {
    Path masterFile = dir.resolve("publisher-master.key");
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    Files.writeString(masterFile, Base64.getEncoder().encodeToString(master));
    List<String> kek =
        List.of(
            "--kek-dir",
            dir.resolve("keks").toString(),
            "--master-key-file",
            masterFile.toString());
    Path ring = dir.resolve("ring.json");
    Path signing = dir.resolve("signing.json");
    cli.ok(
        args(
            kek,
            "model",
            "keygen",
            "--key-id",
            keyId,
            "--out",
            signing.toString(),
            "--ring",
            ring.toString()));
    Path onnx = dir.resolve("conv2d.onnx");
    Files.write(onnx, AdminCommandsTest.resource("conv2d.onnx"));
    Tensor x = TensorProtoCodec.decode(AdminCommandsTest.resource("conv2d-input.pb"), "input");
    String inputName;
    try (OnnxModel probe = OnnxModel.load(direct(Files.readAllBytes(onnx)))) {
      inputName = probe.inputs().keySet().iterator().next();
    }
    String dims =
        Arrays.stream(x.shape()).mapToObj(Long::toString).collect(Collectors.joining(","));
    Path sealed = dir.resolve("conv2d.sealed");
    Path dataKey = dir.resolve("conv2d.key.json");
    cli.ok(
        args(
            kek,
            "model",
            "seal",
            "--model",
            onnx.toString(),
            "--model-id",
            "conv2d",
            "--version",
            "1",
            "--input",
            inputName + ":float32:" + dims,
            "--output",
            "output:float32:-1",
            "--data-class",
            "synthetic",
            "--signing-key",
            signing.toString(),
            "--out",
            sealed.toString(),
            "--data-key-out",
            dataKey.toString()));
    String trust = cli.ok(args(List.of(service), "model", "trust", "--ring", ring.toString()));
    List<String> publishArgs = new ArrayList<>(kek);
    publishArgs.addAll(List.of(service));
    String publish =
        cli.ok(
            args(
                publishArgs,
                "model",
                "publish",
                "--package",
                sealed.toString(),
                "--data-key",
                dataKey.toString(),
                "--ring",
                ring.toString()));
    return new Outputs(trust, publish);
  }

  private static String[] args(List<String> tail, String... head) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(tail);
    return all.toArray(String[]::new);
  }

  private static ByteBuffer direct(byte[] b) {
    ByteBuffer d = ByteBuffer.allocateDirect(b.length);
    d.put(b).flip();
    return d;
  }
}
