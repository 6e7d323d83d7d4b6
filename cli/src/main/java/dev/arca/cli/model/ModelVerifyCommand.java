// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.crypto.ArcaCryptoException;
import dev.arca.crypto.kek.KekException;
import dev.arca.crypto.kek.WrappedDataKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.OpenedModel;
import dev.arca.crypto.seal.PlaintextCheck;
import dev.arca.crypto.seal.SealException;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.SealedModelReader;
import dev.arca.crypto.sign.PublisherKeyRing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca model verify}: checks a sealed package's header and publisher signature against a key
 * ring; with {@code --data-key} also decrypts it in memory and checks every segment and the
 * plaintext SHA-256 against the manifest (the plaintext is wiped, never written).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a sealed package (signature, optionally every segment).",
      "Verify a sealed package: publisher signature; with --data-key also every ciphertext",
      "segment and the plaintext SHA-256 (in memory only). Prints the manifest and the result.",
      "Exit 0 verified, 1 read but not verified, 2 usage or I/O error."
    })
public final class ModelVerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Mixin KekOptions kek;

  @Option(names = "--package", required = true, description = "Sealed package file.")
  Path pkg;

  @Option(names = "--ring", required = true, description = "Trusted publisher key ring (JSON).")
  Path ring;

  @Option(
      names = "--data-key",
      description = "Wrapped data key file (from seal): also decrypt and check the model.")
  Path dataKeyFile;

  @Override
  public Integer call() {
    Map<String, Object> result = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(pkg, StandardOpenOption.READ)) {
      PublisherKeyRing keys =
          PublisherKeyRing.fromJson(Files.readString(ring, StandardCharsets.UTF_8));
      SealedModelReader reader;
      try {
        reader = SealedModel.read(ch, keys);
      } catch (SealException e) {
        return refused(result, e);
      }
      Manifest m = reader.manifest();
      result.put("manifest", JSON.readTree(m.encoded()));
      result.put("manifestDigest", HexFormat.of().formatHex(m.digest()));
      result.put("signature", "verified");
      if (dataKeyFile != null) {
        WrappedDataKey wrapped =
            WrappedDataKey.fromJson(Files.readString(dataKeyFile, StandardCharsets.UTF_8));
        DataKey key =
            wrapped.unwrap(
                kek.client(), WrappedDataKey.modelBinding(m.modelId(), m.version(), m.digest()));
        try (OpenedModel opened = reader.decrypt(key, null, PlaintextCheck.SHA256)) {
          result.put("ciphertext", "verified (" + opened.plaintext().remaining() + " bytes)");
        } catch (SealException e) {
          return refused(result, e);
        } finally {
          key.destroy();
        }
      }
      result.put("verified", true);
      spec.commandLine().getOut().println(JSON.writeValueAsString(result));
      return ExitCode.OK;
    } catch (KekException e) {
      spec.commandLine().getErr().println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (ArcaCryptoException e) {
      spec.commandLine().getErr().println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    }
  }

  private int refused(Map<String, Object> result, SealException e) throws IOException {
    result.put("verified", false);
    result.put("error", e.id());
    spec.commandLine().getOut().println(JSON.writeValueAsString(result));
    spec.commandLine().getErr().println("arca: " + e.getMessage());
    return ExitCode.FAILED;
  }
}
