// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.admin.ServiceCall;
import dev.arca.cli.adminapi.AdminClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code arca model revoke <id> <version>}: no further grants or downloads of that version. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke a model version: no further grants or downloads (role model-publisher).",
      "Exit codes: 0, 1 refused by the service, 2 usage or unreachable."
    })
public final class ModelRevokeCommand extends ServiceCall {
  @Parameters(index = "0", paramLabel = "<model-id>")
  String modelId;

  @Parameters(index = "1", paramLabel = "<version>")
  long version;

  @Override
  protected int run(AdminClient client, PrintWriter out) throws Exception {
    JsonNode m = client.revokeModel(modelId, version);
    if (service.json()) {
      printJson(out, m);
    } else {
      out.println("revoked " + m.path("modelId").asText() + " v" + m.path("version").asText());
    }
    return ExitCode.OK;
  }
}
