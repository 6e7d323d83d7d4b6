// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.adminapi.AdminClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arca reference-values}: add and read the reference-value sets that pin what devices
 * measure (role policy-admin; reads also auditor).
 */
@Command(
    name = "reference-values",
    mixinStandardHelpOptions = true,
    description =
        "Add and list the reference-value sets that pin what devices measure (PCRs, enclave"
            + " images).",
    subcommands = {
      ReferenceValuesCommand.Add.class,
      ReferenceValuesCommand.ListSets.class,
      ReferenceValuesCommand.Show.class
    })
public final class ReferenceValuesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add a new version of a reference-value set (role policy-admin); the appraisal uses the"
            + " newest version of each set.",
        "Values: --measurement <register>=<hex>[,<hex>...] (repeatable; e.g."
            + " pcr.sha256.7=<sha256>), or --file with {format, subject, measurements: {register:"
            + " [hex...]}} as JSON or YAML.",
        "Exit codes: 0 added, 1 refused by the service, 2 usage (bad hex, bad subject) or"
            + " unreachable."
      })
  static final class Add extends ServiceCall {
    @Parameters(paramLabel = "<name>", description = "Set name (letters, digits, '.', '_', '-').")
    String name;

    @Option(
        names = "--format",
        paramLabel = "<format>",
        description = "Evidence format the set applies to: tpm2, nitro, psa, cca, ...")
    String format;

    @Option(
        names = "--subject",
        paramLabel = "<class:c|device:id|model:id>",
        description = "Which devices: a device class attribute, one device, or a model.")
    String subject;

    @Option(
        names = "--measurement",
        paramLabel = "<register>=<hex>[,<hex>...]",
        description = "A register's accepted values (repeatable).")
    List<String> measurementArgs = new ArrayList<>();

    @Option(names = "--file", paramLabel = "<set.json|yaml>", description = "The set from a file.")
    Path file;

    private ReferenceSetDraft draft;

    @Override
    protected void checkArguments() throws java.io.IOException {
      ReferenceSetDraft.checkName(name);
      if (measurementArgs.isEmpty() == (file == null)) {
        throw new IllegalArgumentException("give either --measurement (repeatable) or --file");
      }
      if (file != null) {
        draft = ReferenceSetDraft.read(file, format, subject);
      } else {
        Map<String, List<String>> m = new LinkedHashMap<>();
        measurementArgs.forEach(a -> ReferenceSetDraft.addMeasurement(m, a));
        draft = new ReferenceSetDraft(format, subject, m);
      }
    }

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode v =
          client.putReferenceValues(name, draft.format(), draft.subject(), draft.measurements());
      if (service.json()) {
        printJson(out, v);
      } else {
        out.println(
            "added "
                + v.path("name").asText()
                + " v"
                + v.path("version").asText()
                + " ("
                + v.path("format").asText()
                + ", "
                + v.path("subject").asText()
                + ", "
                + v.path("measurements").size()
                + " register(s))");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the newest version of every reference-value set (roles policy-admin, auditor).",
        "Exit codes: 0, 1 refused, 2 usage or unreachable."
      })
  static final class ListSets extends ServiceCall {
    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode list = client.referenceValues();
      if (service.json()) {
        printJson(out, list);
        return ExitCode.OK;
      }
      out.printf("%-24s %-7s %-6s %-28s %s%n", "NAME", "VERSION", "FORMAT", "SUBJECT", "REGISTERS");
      for (JsonNode s : list) {
        List<String> registers = new ArrayList<>();
        s.path("measurements").properties().forEach(e -> registers.add(e.getKey()));
        out.printf(
            "%-24s %-7s %-6s %-28s %s%n",
            s.path("name").asText(),
            "v" + s.path("version").asText(),
            s.path("format").asText(),
            s.path("subject").asText(),
            String.join(",", registers));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Show every version of one reference-value set with its measurements, newest first"
            + " (roles policy-admin, auditor).",
        "Exit codes: 0, 1 refused or no such set, 2 usage or unreachable."
      })
  static final class Show extends ServiceCall {
    @Parameters(paramLabel = "<name>", description = "Set name.")
    String name;

    @Override
    protected void checkArguments() {
      ReferenceSetDraft.checkName(name);
    }

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode versions = client.referenceValueVersions(name);
      if (service.json()) {
        printJson(out, versions);
        return ExitCode.OK;
      }
      for (JsonNode v : versions) {
        out.println(
            v.path("name").asText()
                + " v"
                + v.path("version").asText()
                + "  "
                + v.path("format").asText()
                + "  "
                + v.path("subject").asText()
                + "  added "
                + v.path("createdAt").asText()
                + " by "
                + v.path("createdBy").asText());
        for (Map.Entry<String, JsonNode> e : v.path("measurements").properties()) {
          List<String> hex = new ArrayList<>();
          e.getValue().forEach(h -> hex.add(h.asText()));
          out.println("  " + e.getKey() + ": " + String.join(", ", hex));
        }
      }
      return ExitCode.OK;
    }
  }
}
