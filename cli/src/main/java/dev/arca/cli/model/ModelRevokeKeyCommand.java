// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.admin.ServiceCall;
import dev.arca.cli.adminapi.AdminClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code arca model revoke-key <key-id>}: the security team stops trusting a publisher key. Every
 * version it signed is denied from the next attestation on, and online runtimes hear of it at once
 * through their event long poll.
 */
@Command(
    name = "revoke-key",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke a trusted publisher key: every model version it signed is denied from the next"
          + " attestation on, which online runtimes make at once (role policy-admin).",
      "Exit codes: 0, 1 refused by the service (e.g. no such key), 2 usage or unreachable."
    })
public final class ModelRevokeKeyCommand extends ServiceCall {
  @Parameters(index = "0", paramLabel = "<key-id>")
  String keyId;

  @Override
  protected int run(AdminClient client, PrintWriter out) throws Exception {
    JsonNode k = client.revokePublisherKey(keyId);
    if (service.json()) {
      printJson(out, k);
    } else {
      out.println("revoked publisher key " + k.path("keyId").asText(keyId));
    }
    return ExitCode.OK;
  }
}
