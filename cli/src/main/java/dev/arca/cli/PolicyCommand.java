// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import dev.arca.policy.FixtureLoader;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyFixture;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.PolicyProblem;
import dev.arca.policy.PolicyTestReport;
import dev.arca.policy.PolicyTester;
import dev.arca.policy.Rule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arca policy}: commands for security teams who write policies. The logic lives in {@code
 * arca-policy}; these classes only parse arguments and print.
 */
@Command(
    name = "policy",
    description =
        "Check and test policy documents; apply, list, diff them on a service; replay the audit log with a draft.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PolicyCommand.Lint.class,
      PolicyCommand.Test.class,
      PolicyCommand.Explain.class,
      PolicyCommand.Schema.class,
      dev.arca.cli.admin.PolicyServiceCommands.Apply.class,
      dev.arca.cli.admin.PolicyServiceCommands.ListPolicies.class,
      dev.arca.cli.admin.PolicyServiceCommands.Diff.class,
      dev.arca.cli.admin.PolicyServiceCommands.Impact.class
    })
final class PolicyCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints every problem, one per line ({@code file:line:col: error [id]: message}). */
  static int report(PolicyLoadException e, PrintWriter err) {
    for (PolicyProblem p : e.problems()) {
      err.println(p);
    }
    boolean io = e.problems().stream().allMatch(p -> p.id().equals(PolicyProblem.IO));
    return io ? ExitCode.USAGE : ExitCode.FAILED;
  }

  @Command(
      name = "schema",
      mixinStandardHelpOptions = true,
      description = {
        "Print the JSON schema of policy documents (or of fixtures) for editors and CI.",
        "The samples name it in a yaml-language-server header, so editors complete and check them."
      })
  static final class Schema implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--fixture", description = "The schema of test fixtures instead.")
    boolean fixture;

    @Override
    public Integer call() throws java.io.IOException {
      String name = fixture ? "fixture.schema.json" : "policy.schema.json";
      try (java.io.InputStream in = PolicyLoader.class.getResourceAsStream(name)) {
        spec.commandLine()
            .getOut()
            .print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      description = {
        "Check a policy: YAML, schema, CEL syntax and types, with file:line:column for each"
            + " problem.",
        "Exit codes: 0 valid, 1 problems found, 2 file unreadable."
      })
  static final class Lint implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "Policy document (YAML).")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Policy policy;
      try {
        policy = PolicyLoader.load(file);
      } catch (PolicyLoadException e) {
        int code = report(e, err);
        err.println(e.problems().size() + " problem(s) in " + file);
        return code;
      }
      List<Rule> rules = policy.rules();
      long forbids =
          rules.stream().filter(r -> r.effect() == dev.arca.policy.Effect.FORBID).count();
      out.printf(
          "ok: policy %s v%d: %d rules (%d forbid, %d permit); %d evaluated for every request,"
              + " the rest only for the models and data classes they name%n",
          policy.name(),
          policy.version(),
          rules.size(),
          forbids,
          rules.size() - forbids,
          policy.alwaysEvaluatedRules());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Run fixtures (YAML files with an input and the expected decision) against a policy and"
            + " print a table; each failure is shown as a diff with the decision's explanation.",
        "Exit codes: 0 all passed, 1 a fixture failed or a file has problems, 2 file unreadable."
      })
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "Policy document (YAML).")
    Path file;

    @Option(
        names = "--fixtures",
        required = true,
        paramLabel = "<dir>",
        description = "Directory of fixture files (*.yaml, *.yml).")
    Path fixtures;

    @Option(
        names = "--junit",
        paramLabel = "<file>",
        description = "Also write the results as JUnit XML, for CI systems.")
    Path junit;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Policy policy;
      List<PolicyFixture> cases;
      try {
        policy = PolicyLoader.load(file);
        cases = FixtureLoader.loadDirectory(fixtures);
      } catch (PolicyLoadException e) {
        return report(e, err);
      }
      PolicyTestReport report = PolicyTester.run(policy, cases);
      out.print(report.render());
      out.flush();
      if (junit != null) {
        try {
          java.nio.file.Files.writeString(junit, dev.arca.policy.JunitXml.of(report));
        } catch (java.io.IOException e) {
          err.println("arca: cannot write " + junit + ": " + IoErrors.describe(e));
          return ExitCode.USAGE;
        }
      }
      return report.passed() ? ExitCode.OK : ExitCode.FAILED;
    }
  }

  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description = {
        "Decide one input (a fixture file; its expectation is ignored) and print the decision"
            + " with every rule's outcome, errors and obligations.",
        "Exit codes: 0 decided (permit or deny), 1 a file has problems, 2 file unreadable."
      })
  static final class Explain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "Policy document (YAML).")
    Path file;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "<fixture>",
        description = "Fixture file whose input to decide.")
    Path input;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        Policy policy = PolicyLoader.load(file);
        PolicyFixture fixture = FixtureLoader.load(input);
        out.print(policy.decide(fixture.input()).explain());
        out.flush();
        return ExitCode.OK;
      } catch (PolicyLoadException e) {
        return report(e, spec.commandLine().getErr());
      }
    }
  }
}
