// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.cli.ExitCode;
import dev.arca.cli.Progress;
import dev.arca.cli.admin.ServiceCall;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.crypto.kek.WrappedDataKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.sign.PublisherKeyRing;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arca model publish}: verifies a sealed package against the publisher's key ring, unwraps
 * its data key with the local KEK (in memory), and uploads both to the service, which wraps the key
 * under its own KEK on arrival. Shows progress for large packages.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a sealed package and its data key to the service (role model-publisher).",
      "Exit codes: 0 published, 1 refused by the service or the package does not verify,"
          + " 2 usage, I/O or unreachable."
    })
public final class ModelPublishCommand extends ServiceCall {
  @Mixin KekOptions kek;

  @Option(names = "--package", required = true, description = "Sealed package (from seal).")
  Path pkg;

  @Option(names = "--data-key", required = true, description = "Wrapped data key file (seal).")
  Path dataKeyFile;

  @Option(names = "--ring", required = true, description = "Publisher key ring JSON (keygen).")
  Path ring;

  @Override
  // Built for Java 17, where System.console() is null exactly when there is no terminal.
  @SuppressWarnings("SystemConsoleNull")
  protected int run(AdminClient client, PrintWriter out) throws Exception {
    Manifest m;
    try (FileChannel ch = FileChannel.open(pkg, StandardOpenOption.READ)) {
      m =
          SealedModel.read(
                  ch, PublisherKeyRing.fromJson(Files.readString(ring, StandardCharsets.UTF_8)))
              .manifest();
    }
    DataKey key =
        WrappedDataKey.fromJson(Files.readString(dataKeyFile, StandardCharsets.UTF_8))
            .unwrap(
                kek.client(), WrappedDataKey.modelBinding(m.modelId(), m.version(), m.digest()));
    byte[] raw = key.bytes(InsecureSecretKeyAccess.get());
    JsonNode published;
    PrintWriter err = spec.commandLine().getErr();
    Progress bar = Progress.ofBytes(err, "uploading", service.json());
    try {
      published = client.publishModel(m.modelId(), pkg, raw, bar);
    } finally {
      Arrays.fill(raw, (byte) 0);
      key.destroy();
      bar.finish();
    }
    if (service.json()) {
      printJson(out, published);
    } else {
      out.println(
          "published "
              + published.path("modelId").asText()
              + " v"
              + published.path("version").asText()
              + " ("
              + published.path("packageSize").asText()
              + " bytes, manifest "
              + published.path("manifestDigest").asText()
              + ")");
    }
    return ExitCode.OK;
  }
}
