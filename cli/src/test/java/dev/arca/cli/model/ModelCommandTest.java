// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import dev.arca.cli.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen -> seal -> verify with a real ONNX file, and a tampered package (exit 1). */
class ModelCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void keygenSealVerifyAndTamper(@TempDir Path dir) throws Exception {
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    Path masterFile = dir.resolve("master.key");
    Files.writeString(masterFile, Base64.getEncoder().encodeToString(master));
    // The ONNX Conv2d test model (vectors/onnx/README.md for provenance).
    Path onnx = dir.resolve("conv2d.onnx");
    try (var in =
        ModelCommandTest.class.getResourceAsStream("/vectors/onnx/test_Conv2d/model.onnx")) {
      Files.write(onnx, in.readAllBytes());
    }
    List<String> kek = keygen(dir, masterFile);
    assertThat(Files.readString(dir.resolve("signing.json"))).contains("encryptedKeyset");

    Run seal = run(concat(sealArgs(dir, onnx, "2", "clinical-review=passed"), kek));
    assertThat(seal.code()).as(seal.err()).isEqualTo(ExitCode.OK);
    assertThat(seal.out()).contains("\"modelId\" : \"conv2d\"");
    assertThat(Files.readString(dir.resolve("m2.key.json"))).contains("arca-local-kek://publisher");

    Run verify =
        run(
            concat(
                List.of(
                    "model",
                    "verify",
                    "--package",
                    dir.resolve("m2.arca").toString(),
                    "--ring",
                    dir.resolve("ring.json").toString(),
                    "--data-key",
                    dir.resolve("m2.key.json").toString()),
                kek));
    assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCode.OK);
    assertThat(verify.out()).contains("\"verified\" : true").contains("593 bytes");
    // The label is signed into the manifest, where policies read it as model.labels.
    assertThat(verify.out())
        .contains("\"labels\" : {")
        .contains("\"clinical-review\" : \"passed\"");

    for (String label : List.of("no-equals-sign", "=value", "Upper=x")) {
      Run refused = run(concat(sealArgs(dir, onnx, "3", label), kek));
      assertThat(refused.code()).as(label).isEqualTo(ExitCode.USAGE);
      assertThat(refused.err()).as(label).startsWith("arca: ").contains("label");
    }

    byte[] pkg = Files.readAllBytes(dir.resolve("m2.arca"));
    pkg[pkg.length - 5] ^= 1;
    Files.write(dir.resolve("bad.arca"), pkg);
    Run bad =
        run(
            concat(
                List.of(
                    "model",
                    "verify",
                    "--package",
                    dir.resolve("bad.arca").toString(),
                    "--ring",
                    dir.resolve("ring.json").toString(),
                    "--data-key",
                    dir.resolve("m2.key.json").toString()),
                kek));
    assertThat(bad.code()).isEqualTo(ExitCode.FAILED);
    assertThat(bad.out()).contains("seal.segment-tampered");
    assertThat(bad.err()).startsWith("arca: seal.segment-tampered").doesNotContain("Exception");
  }

  /** {@code arca model seal} of the Conv2d model as {@code version}, with one {@code --label}. */
  private static List<String> sealArgs(Path dir, Path onnx, String version, String label) {
    return List.of(
        "model",
        "seal",
        "--model",
        onnx.toString(),
        "--model-id",
        "conv2d",
        "--version",
        version,
        "--input",
        "data_0:float32:1,3,224,224",
        "--output",
        "softmaxout_1:float32:1,1000,1,1",
        "--data-class",
        "phi",
        "--label",
        label,
        "--signing-key",
        dir.resolve("signing.json").toString(),
        "--out",
        dir.resolve("m" + version + ".arca").toString(),
        "--data-key-out",
        dir.resolve("m" + version + ".key.json").toString());
  }

  @Test
  void sealShowsHashingThenSealingOnATerminalAndNothingElsewhere(@TempDir Path dir)
      throws Exception {
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    Path masterFile = dir.resolve("master.key");
    Files.writeString(masterFile, Base64.getEncoder().encodeToString(master));
    // 3 MiB: the sealing pass reads it in several pieces, so the bar moves.
    byte[] modelBytes = new byte[3 << 20];
    new SecureRandom().nextBytes(modelBytes);
    Path onnx = Files.write(dir.resolve("big.onnx"), modelBytes);
    List<String> kek = keygen(dir, masterFile);

    Run onTerminal;
    Run piped;
    try {
      System.setProperty(Progress.MODE_PROPERTY, "always");
      onTerminal = run(seal(dir, onnx, "t", kek));
      System.setProperty(Progress.MODE_PROPERTY, "never");
      piped = run(seal(dir, onnx, "p", kek));
    } finally {
      System.clearProperty(Progress.MODE_PROPERTY);
    }

    assertThat(onTerminal.code()).as(onTerminal.err()).isEqualTo(ExitCode.OK);
    String[] lines = onTerminal.err().split(System.lineSeparator());
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("\r  hashing [").endsWith("] 100% of 3.0 MiB");
    assertThat(lines[1]).startsWith("\r  sealing [").endsWith("] 100% of 3.0 MiB");
    assertThat(lines[1].split("\r", -1).length).as("redraws while sealing").isGreaterThan(3);
    assertThat(piped.code()).as(piped.err()).isEqualTo(ExitCode.OK);
    assertThat(piped.err()).isEmpty();
    // Standard output is the same JSON summary either way (the fresh manifest digest aside)...
    String digest = "\"manifestDigest\" : \"[0-9a-f]{64}\"";
    assertThat(
            onTerminal
                .out()
                .replaceAll(digest, "")
                .replace(dir.resolve("t.").toString(), dir.resolve("p.").toString()))
        .isEqualTo(piped.out().replaceAll(digest, ""));
    // ...and both packages open to the same model.
    for (String name : List.of("t", "p")) {
      Run verify =
          run(
              concat(
                  List.of(
                      "model",
                      "verify",
                      "--package",
                      dir.resolve(name + ".arca").toString(),
                      "--ring",
                      dir.resolve("ring.json").toString(),
                      "--data-key",
                      dir.resolve(name + ".key.json").toString()),
                  kek));
      assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCode.OK);
      assertThat(verify.out()).contains("\"verified\" : true").contains((3 << 20) + " bytes");
    }
  }

  private static String[] seal(Path dir, Path onnx, String name, List<String> kek) {
    return concat(
        List.of(
            "model",
            "seal",
            "--model",
            onnx.toString(),
            "--model-id",
            "big",
            "--version",
            "1",
            "--input",
            "x:float32:1,3",
            "--output",
            "y:float32:1,3",
            "--data-class",
            "synthetic",
            "--signing-key",
            dir.resolve("signing.json").toString(),
            "--out",
            dir.resolve(name + ".arca").toString(),
            "--data-key-out",
            dir.resolve(name + ".key.json").toString()),
        kek);
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(new String[0]);
  }

  /**
   * Runs {@code model keygen} (key acme-2026, signing.json and ring.json in {@code dir}) and
   * returns the KEK options every model command of the test passes.
   */
  private static List<String> keygen(Path dir, Path masterFile) {
    List<String> kek =
        List.of(
            "--kek-dir",
            dir.resolve("keks").toString(),
            "--master-key-file",
            masterFile.toString());
    Run keygen =
        run(
            concat(
                List.of(
                    "model",
                    "keygen",
                    "--key-id",
                    "acme-2026",
                    "--out",
                    dir.resolve("signing.json").toString(),
                    "--ring",
                    dir.resolve("ring.json").toString()),
                kek));
    assertThat(keygen.code()).as(keygen.err()).isEqualTo(ExitCode.OK);
    return kek;
  }
}
