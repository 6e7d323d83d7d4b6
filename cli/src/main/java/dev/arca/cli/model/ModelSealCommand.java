// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.cli.Progress;
import dev.arca.crypto.ArcaCryptoException;
import dev.arca.crypto.kek.KeyEncryptionKey;
import dev.arca.crypto.kek.WrappedDataKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SigningKeyFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca model seal}: seals an ONNX file into a package (docs/formats/sealed-model.md) and
 * writes the fresh data key wrapped under the local KEK, never in clear.
 */
@Command(
    name = "seal",
    description = {
      "Seal an ONNX model into a signed, encrypted package.",
      "Seal an ONNX model: signed manifest + AES256_GCM_HKDF_1MB ciphertext under a fresh data",
      "key, which is written only wrapped under the local KEK. Prints a JSON summary.",
      "On a terminal, standard error shows the two passes over the model: hashing, sealing.",
      "Exit 0 ok, 2 usage or I/O error."
    })
public final class ModelSealCommand implements Callable<Integer> {
  // Only the help option: this command's own --version (a model version) would clash with the
  // standard -V/--version.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Mixin KekOptions kek;

  @Option(names = "--model", required = true, description = "The plaintext ONNX file.")
  Path model;

  @Option(names = "--model-id", required = true, description = "Model id.")
  String modelId;

  @Option(names = "--version", required = true, description = "Monotonic integer version (>= 1).")
  long version;

  @Option(
      names = "--input",
      required = true,
      description = "Input tensor name:type:dims, e.g. x:float32:1,30 (-1 = dynamic). Repeatable.")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--output",
      required = true,
      description = "Output tensor, as --input. Repeatable.")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--data-class", required = true, description = "Allowed data class. Repeatable.")
  List<String> dataClasses = new ArrayList<>();

  @Option(
      names = "--label",
      description = {
        "Label key=value signed into the manifest, what policies read as model.labels",
        "(e.g. pci-approved=true). Repeatable."
      })
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--min-runtime-version",
      defaultValue = "0.1.0",
      description = "Minimum runtime version. Default: ${DEFAULT-VALUE}.")
  String minRuntimeVersion;

  @Option(names = "--signing-key", required = true, description = "Signing key file (from keygen).")
  Path signingKey;

  @Option(names = "--out", required = true, description = "Sealed package to write.")
  Path out;

  @Option(
      names = "--data-key-out",
      required = true,
      description = "File for the data key, wrapped under the KEK (JSON).")
  Path dataKeyOut;

  @Override
  public Integer call() {
    try {
      KeyEncryptionKey k = kek.kek();
      PublisherSigningKey signer = SigningKeyFile.read(signingKey, kek.client());
      // Two passes over the model: its digest goes into the manifest, which heads the package.
      long size = Files.size(model);
      PlaintextDigest digest;
      try (InputStream in = Files.newInputStream(model)) {
        digest = withProgress("hashing", p -> PlaintextDigest.of(p.counting(in, size)));
      }
      Manifest.Builder b =
          Manifest.builder()
              .modelId(modelId)
              .version(version)
              .plaintextSha256(digest.sha256())
              .plaintextSize(digest.size())
              .minRuntimeVersion(minRuntimeVersion)
              .createdAt(Instant.now())
              .publisherKeyId(signer.keyId());
      for (String s : inputs) {
        b.input(tensor(s));
      }
      for (String s : outputs) {
        b.output(tensor(s));
      }
      for (String c : dataClasses) {
        b.dataClass(c);
      }
      for (String l : labels) {
        int eq = l.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--label must be key=value, not '" + l + "'");
        }
        b.label(l.substring(0, eq), l.substring(eq + 1));
      }
      Manifest manifest = b.build();
      DataKey dataKey = DataKey.generate();
      SealedModel.SealResult result;
      try (InputStream in = Files.newInputStream(model);
          OutputStream o = Files.newOutputStream(out)) {
        result =
            withProgress(
                "sealing",
                p -> SealedModel.seal(manifest, signer, dataKey, p.counting(in, size), o));
      }
      WrappedDataKey wrapped =
          WrappedDataKey.wrap(
              dataKey, k, WrappedDataKey.modelBinding(modelId, version, manifest.digest()));
      dataKey.destroy();
      Files.writeString(dataKeyOut, wrapped.toJson(), StandardCharsets.UTF_8);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("modelId", modelId);
      summary.put("version", version);
      summary.put("manifestDigest", HexFormat.of().formatHex(result.manifestDigest()));
      summary.put("package", out.toString());
      summary.put("packageBytes", result.packageLength());
      summary.put("wrappedDataKey", dataKeyOut.toString());
      summary.put("kek", wrapped.kekUri());
      spec.commandLine().getOut().println(JSON.writeValueAsString(summary));
      return ExitCode.OK;
    } catch (ArcaCryptoException e) {
      spec.commandLine().getErr().println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IllegalArgumentException | IllegalStateException e) {
      spec.commandLine().getErr().println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    }
  }

  /** One pass over the model, with its progress line on a terminal. */
  private <T> T withProgress(String label, Pass<T> pass) throws IOException, ArcaCryptoException {
    // The summary on standard output is JSON either way; progress goes to standard error.
    Progress p = Progress.ofBytes(spec.commandLine().getErr(), label, false);
    try {
      return pass.run(p);
    } finally {
      p.finish();
    }
  }

  /** A pass reading the model through a {@link Progress}. */
  @FunctionalInterface
  private interface Pass<T> {
    T run(Progress progress) throws IOException, ArcaCryptoException;
  }

  /** Parses name:type:d1,d2,... */
  static TensorSpec tensor(String s) {
    String[] p = s.split(":", -1);
    if (p.length != 3) {
      throw new IllegalArgumentException("tensor must be name:type:dims, got '" + s + "'");
    }
    long[] dims;
    if (p[2].isEmpty()) {
      dims = new long[0];
    } else {
      String[] d = p[2].split(",", -1);
      dims = new long[d.length];
      for (int i = 0; i < d.length; i++) {
        try {
          dims[i] = Long.parseLong(d[i].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("dimension '" + d[i] + "' is not an integer");
        }
      }
    }
    return TensorSpec.of(p[0], p[1], dims);
  }
}
