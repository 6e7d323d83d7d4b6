// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.adminapi.AdminClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arca audit search}: filter the transparency log (role auditor). */
@Command(
    name = "search",
    description = {
      "Search the audit log by device, model, verdict, actor, kind and time (role auditor).",
      "Text: one line per entry; --json: the entries with their log index.",
      "Exit codes: 0, 1 refused by the service, 2 usage or unreachable."
    })
public final class AuditSearchCommand extends ServiceCall {
  // Only the help option: this command's own --version (a model version) would clash with the
  // standard -V/--version.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--device", description = "Device id.")
  String device;

  @Option(names = "--model", description = "Model id.")
  String model;

  @Option(names = "--version", description = "Model version (with --model).")
  String version;

  @Option(names = "--verdict", description = "Outcome, e.g. permit or attestation/policy-denied.")
  String verdict;

  @Option(names = "--actor", description = "Who acted, e.g. user:policy-admin.")
  String actor;

  @Option(
      names = "--kind",
      description =
          "Entry kind, e.g. attestation.appraised, or a family: usage (usage reports),"
              + " attestation, device, model, policy.")
  String kind;

  @Option(names = "--from", description = "ISO-8601 instant, inclusive.")
  String from;

  @Option(names = "--to", description = "ISO-8601 instant, exclusive.")
  String to;

  @Option(names = "--limit", defaultValue = "100", description = "At most this many entries.")
  String limit;

  @Override
  protected int run(AdminClient client, PrintWriter out) throws Exception {
    List<JsonNode> hits =
        client.auditSearch(
            AdminClient.filters(
                "device", device, "model", model, "version", version, "verdict", verdict, "actor",
                actor, "kind", kind, "from", from, "to", to, "limit", limit));
    if (service.json()) {
      printJson(out, JSON.valueToTree(hits));
      return ExitCode.OK;
    }
    for (JsonNode h : hits) {
      JsonNode e = h.path("entry");
      out.printf(
          "%6d %s %-22s %-22s %s %s%s%n",
          h.path("index").asLong(),
          e.path("time").asText(),
          e.path("type").asText(),
          e.path("facts").path("outcome").asText(e.path("facts").path("verdict").asText("")),
          e.path("actor").asText(),
          e.path("facts").path("subject").asText(""),
          usage(e.path("facts").path("detail")));
    }
    out.println(hits.size() + " entr" + (hits.size() == 1 ? "y" : "ies"));
    return ExitCode.OK;
  }

  /** A usage report's totals and period, after its line; nothing for other entries. */
  private static String usage(JsonNode detail) {
    if (!detail.has("served")) {
      return "";
    }
    return String.format(
        " served=%d refused=%d %s..%s",
        detail.path("served").asLong(),
        detail.path("refused").asLong(),
        detail.path("from").asText(),
        detail.path("to").asText());
  }
}
