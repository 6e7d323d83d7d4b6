// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * {@code --help} works on every command and subcommand: exit 0, the usage on standard output,
 * nothing on standard error (no "Missing required options" or "Unknown option"), and a first
 * description line that is a whole sentence, since the parent's command list shows only that line.
 * Here on the core's commands; the full tool's module (cli-demo) runs it on every command, plugins
 * included ({@code AllCommandsHelpTest}).
 */
public class HelpTest {

  /** Every command path under {@code arca}, e.g. {@code [model, seal]}. */
  public static List<List<String>> commandPaths(CommandLine cli, List<String> prefix) {
    List<List<String>> out = new ArrayList<>();
    for (var e : cli.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().aliases().length > 0
          && !e.getKey().equals(e.getValue().getCommandName())) {
        continue; // an alias of a command already listed
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      out.add(path);
      out.addAll(commandPaths(e.getValue(), path));
    }
    return out;
  }

  @TestFactory
  protected Stream<DynamicTest> everyCommandAnswersHelp() {
    return commandPaths(Arca.commandLine(), List.of()).stream()
        .filter(path -> !path.get(path.size() - 1).equals("help"))
        .map(path -> DynamicTest.dynamicTest(String.join(" ", path), () -> help(path)));
  }

  private static void help(List<String> path) {
    CliRun cli = new CliRun();
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    int code = cli.execute(args.toArray(String[]::new));
    String name = "arca " + String.join(" ", path);
    assertThat(cli.err()).as("%s --help: standard error", name).isEmpty();
    assertThat(code).as("%s --help: exit code; output: %s", name, cli.out()).isEqualTo(ExitCode.OK);
    assertThat(cli.out()).as("%s --help", name).startsWith("Usage: " + name);
    CommandLine command = Arca.commandLine();
    for (String p : path) {
      command = command.getSubcommands().get(p);
    }
    String[] description = command.getCommandSpec().usageMessage().description();
    assertThat(description).as("%s: description", name).isNotEmpty();
    assertThat(description[0].strip())
        .as("%s: the first description line, which the parent lists, is a whole sentence", name)
        .matches("[A-Z].*[.)]");
  }
}
