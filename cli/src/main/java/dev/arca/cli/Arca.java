// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import dev.arca.cli.audit.AuditCommand;
import dev.arca.cli.evidence.EvidenceCommand;
import dev.arca.cli.model.ModelCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code arca} command. Each user's commands live in their own subcommand class; add a new one
 * to {@code subcommands} below. Commands that need more than the core libraries (the device
 * runtime, the demo) come from {@link CommandPlugin}s on the class path, so {@code --help} lists
 * exactly what this installation can run.
 *
 * <p>Exit codes, for every subcommand: 0 success; 1 the input was read but did not verify or a
 * check failed; 2 usage or I/O error.
 */
@Command(
    name = "arca",
    mixinStandardHelpOptions = true,
    versionProvider = ArcaVersion.class,
    description = "Sealed AI models for attested edge devices.",
    exitCodeOnInvalidInput = ExitCode.USAGE,
    exitCodeOnExecutionException = ExitCode.USAGE,
    subcommands = {
      CommandLine.HelpCommand.class,
      EvidenceCommand.class,
      ModelCommand.class,
      PolicyCommand.class,
      AuditCommand.class,
      dev.arca.cli.admin.LoginCommand.class,
      dev.arca.cli.admin.DeviceCommand.class,
      dev.arca.cli.admin.ReferenceValuesCommand.class,
      dev.arca.cli.admin.CollateralCommand.class,
      dev.arca.cli.admin.InferCommand.class,
      CompletionCommand.class
    })
public final class Arca implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with Arca's error handling, so tests run exactly what users run. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Arca());
    // Before the handler: picocli passes it on only to the subcommands present when it is set.
    Plugins.addTo(cli);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          // One clear line, never a stack trace: the message says what to do next.
          commandLine.getErr().println("arca: " + ex.getMessage());
          return ExitCode.USAGE;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
