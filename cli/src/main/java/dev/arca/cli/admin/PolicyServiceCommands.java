// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.impact.ImpactChange;
import dev.arca.policy.impact.PolicyImpact;
import dev.arca.policy.impact.RecordedDecision;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code arca policy} subcommands that talk to a running service. */
public final class PolicyServiceCommands {
  private PolicyServiceCommands() {}

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Upload a policy (checked by the service, problems with line:column) and activate it"
            + " (role policy-admin). Earlier versions are kept.",
        "Exit codes: 0 applied, 1 refused (invalid, version exists), 2 usage or unreachable."
      })
  public static final class Apply extends ServiceCall {
    @Parameters(paramLabel = "<file>", description = "Policy document (YAML).")
    Path file;

    @Option(names = "--no-activate", description = "Upload only; activate later.")
    boolean noActivate;

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode v = client.uploadPolicy(Files.readString(file, StandardCharsets.UTF_8));
      if (!noActivate) {
        v = client.activatePolicy(v.path("name").asText(), v.path("version").asLong());
      }
      if (service.json()) {
        printJson(out, v);
      } else {
        out.println(
            (noActivate ? "uploaded " : "applied ")
                + v.path("name").asText()
                + " v"
                + v.path("version").asText()
                + " (sha256 "
                + v.path("digest").asText()
                + ")"
                + (v.path("active").asBoolean() ? ", active" : ""));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List stored policy versions, the active one marked (roles policy-admin, auditor).",
        "Exit codes: 0, 1 refused, 2 usage or unreachable."
      })
  public static final class ListPolicies extends ServiceCall {
    @Parameters(arity = "0..1", paramLabel = "<name>", description = "Only this policy.")
    String name;

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode list = name == null ? client.policies() : client.policyVersions(name);
      if (service.json()) {
        printJson(out, list);
        return ExitCode.OK;
      }
      for (JsonNode v : list) {
        out.printf(
            "%s %-24s v%-4d %s %s by %s%n",
            v.path("active").asBoolean() ? "*" : " ",
            v.path("name").asText(),
            v.path("version").asLong(),
            v.path("digest")
                .asText()
                .substring(0, Math.min(16, v.path("digest").asText().length())),
            v.path("createdAt").asText(),
            v.path("createdBy").asText());
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = {
        "Show what changed between two stored versions of a policy, or between a stored version"
            + " and a draft file.",
        "Exit codes: 0 identical, 1 they differ (like diff(1)), 2 usage or unreachable."
      })
  public static final class Diff extends ServiceCall {
    @Parameters(index = "0", paramLabel = "<name>")
    String name;

    @Parameters(index = "1", paramLabel = "<from-version>")
    long from;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<to-version>")
    Long to;

    @Option(names = "--draft", paramLabel = "<file>", description = "Compare with this file.")
    Path draft;

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      if ((to == null) == (draft == null)) {
        throw new IllegalArgumentException("give either <to-version> or --draft <file>");
      }
      String a = client.policyDocument(name, from);
      String b =
          draft != null
              ? Files.readString(draft, StandardCharsets.UTF_8)
              : client.policyDocument(name, to);
      List<String> lines =
          LineDiff.unified(
              a, b, name + " v" + from, draft != null ? draft.toString() : name + " v" + to);
      if (service.json()) {
        ObjectNode o = JSON.createObjectNode();
        o.put("identical", lines.isEmpty());
        o.set("diff", JSON.valueToTree(lines));
        printJson(out, o);
      } else {
        lines.forEach(out::println);
      }
      return lines.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
  }

  @Command(
      name = "impact",
      mixinStandardHelpOptions = true,
      description = {
        "Replay recent appraisals from the audit log with a draft policy and list the decisions"
            + " that would change: each on the input it was decided on (recorded request and"
            + " device, kept evidence verified again). Reads the audit log: needs role auditor.",
        "Exit codes: 0 nothing changes, 1 some decisions change or the draft is invalid,"
            + " 2 usage or unreachable."
      })
  public static final class Impact extends ServiceCall {
    @Parameters(paramLabel = "<draft>", description = "Draft policy (YAML).")
    Path draftFile;

    @Option(names = "--last", defaultValue = "1000", description = "Replay this many appraisals.")
    int last;

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      Policy draft;
      try {
        draft = PolicyLoader.load(draftFile);
      } catch (PolicyLoadException e) {
        e.problems().forEach(p -> spec.commandLine().getErr().println(p));
        return ExitCode.FAILED;
      }
      AuditedDecisions audited = new AuditedDecisions(client);
      List<RecordedDecision> recorded = audited.load(last);
      List<ImpactChange> changes = PolicyImpact.changes(draft, recorded);
      if (service.json()) {
        ObjectNode o = JSON.createObjectNode();
        o.put("draft", draft.name() + "@" + draft.version());
        o.put("replayed", recorded.size());
        o.put("notReplayable", audited.skipped());
        o.set("notReplayableWhy", JSON.valueToTree(audited.problems()));
        ArrayNode a = o.putArray("changes");
        for (ImpactChange c : changes) {
          ObjectNode n = a.addObject();
          n.put("ref", c.recorded().ref());
          n.put("before", c.before() ? "permit" : "deny");
          n.put("after", c.after() ? "permit" : "deny");
          n.set("draftRules", JSON.valueToTree(c.draftRules()));
          n.put("draftReason", c.draftReason());
        }
        printJson(out, o);
      } else {
        out.println(
            "replayed "
                + recorded.size()
                + " recorded decisions with "
                + draft.name()
                + " v"
                + draft.version()
                + (audited.skipped() > 0
                    ? " ("
                        + audited.skipped()
                        + " entries not replayable"
                        + (audited.problems().isEmpty() ? "" : ": " + audited.problems().get(0))
                        + ")"
                    : ""));
        for (ImpactChange c : changes) {
          out.println(
              "  "
                  + c.recorded().ref()
                  + ": "
                  + (c.before() ? "permit" : "deny")
                  + " -> "
                  + (c.after() ? "permit" : "deny")
                  + " ("
                  + (c.draftRules().isEmpty() ? c.draftReason() : String.join(", ", c.draftRules()))
                  + ")");
        }
        out.println(changes.size() + " decision(s) would change");
      }
      return changes.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
  }
}
