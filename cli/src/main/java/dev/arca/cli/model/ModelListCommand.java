// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.admin.ServiceCall;
import dev.arca.cli.adminapi.AdminClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code arca model list [<id>]}: newest version of every model, or every version of one. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List published models (newest versions), or every version of one model.",
      "Exit codes: 0, 1 refused by the service, 2 usage or unreachable."
    })
public final class ModelListCommand extends ServiceCall {
  @Parameters(
      arity = "0..1",
      paramLabel = "<model-id>",
      description = "List this model's versions.")
  String modelId;

  @Override
  protected int run(AdminClient client, PrintWriter out) throws Exception {
    JsonNode list = modelId == null ? client.models() : client.modelVersions(modelId);
    if (service.json()) {
      printJson(out, list);
      return ExitCode.OK;
    }
    out.printf("%-24s %7s %-9s %-24s %s%n", "MODEL", "VERSION", "STATUS", "DATA CLASSES", "BYTES");
    for (JsonNode m : list) {
      out.printf(
          "%-24s %7d %-9s %-24s %d%n",
          m.path("modelId").asText(),
          m.path("version").asLong(),
          m.path("status").asText(),
          m.path("manifest").path("dataClasses"),
          m.path("packageSize").asLong());
    }
    return ExitCode.OK;
  }
}
