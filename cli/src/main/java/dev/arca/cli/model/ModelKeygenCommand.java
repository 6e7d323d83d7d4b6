// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.crypto.ArcaCryptoException;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.crypto.sign.SigningKeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca model keygen}: a new publisher signing key, written encrypted under the local KEK,
 * and its public key added to a key ring file.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a publisher signing key and add it to a key ring.",
      "Generate a publisher signing key (stored encrypted under the local KEK) and add its",
      "public key to a key ring file. Exit 0 ok, 2 usage or I/O error."
    })
public final class ModelKeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KekOptions kek;

  @Option(names = "--key-id", required = true, description = "Publisher key id, e.g. acme-2026.")
  String keyId;

  @Option(
      names = "--algorithm",
      defaultValue = "ed25519",
      description = "ed25519 or ecdsa-p256-sha256. Default: ${DEFAULT-VALUE}.")
  String algorithm;

  @Option(names = "--out", required = true, description = "Signing key file to write (encrypted).")
  Path out;

  @Option(
      names = "--ring",
      required = true,
      description = "Public key ring file (JSON); created if missing, the new key is added.")
  Path ring;

  @Override
  public Integer call() {
    try {
      PublisherSigningKey key =
          PublisherSigningKey.generate(SignatureAlgorithm.fromLabel(algorithm), keyId);
      SigningKeyFile.write(out, key, kek.kek());
      PublisherKeyRing r =
          Files.exists(ring)
              ? PublisherKeyRing.fromJson(Files.readString(ring, StandardCharsets.UTF_8))
              : PublisherKeyRing.empty();
      Files.writeString(ring, r.with(key.publicKey()).toJson(), StandardCharsets.UTF_8);
      spec.commandLine().getOut().println(key.publicKey());
      return ExitCode.OK;
    } catch (ArcaCryptoException e) {
      spec.commandLine().getErr().println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    }
  }
}
