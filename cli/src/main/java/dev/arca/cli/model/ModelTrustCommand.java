// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.admin.ServiceCall;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.crypto.sign.PublisherKeyRing;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca model trust}: the security team tells the service which publisher keys may sign
 * models (role policy-admin); without {@code --ring}, lists the trusted keys.
 */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description = {
      "Trust the publisher keys of a key ring (from keygen) on the service (role policy-admin);"
          + " without --ring, list the trusted keys.",
      "Exit codes: 0, 1 refused by the service (e.g. the key id exists), 2 usage or unreachable."
    })
public final class ModelTrustCommand extends ServiceCall {
  @Option(names = "--ring", description = "Publisher key ring JSON to trust.")
  Path ring;

  @Override
  protected int run(AdminClient client, PrintWriter out) throws Exception {
    if (ring == null) {
      JsonNode keys = client.publisherKeys();
      if (service.json()) {
        printJson(out, keys);
      } else {
        for (JsonNode k : keys) {
          out.println(
              k.path("keyId").asText()
                  + " "
                  + k.path("algorithm").asText()
                  + " "
                  + k.path("status").asText(""));
        }
      }
      return ExitCode.OK;
    }
    List<JsonNode> added =
        client.trustPublisherKeys(
            PublisherKeyRing.fromJson(Files.readString(ring, StandardCharsets.UTF_8)));
    if (service.json()) {
      printJson(out, JSON.valueToTree(added));
    } else {
      added.forEach(k -> out.println("trusted publisher key " + k.path("keyId").asText()));
    }
    return ExitCode.OK;
  }
}
