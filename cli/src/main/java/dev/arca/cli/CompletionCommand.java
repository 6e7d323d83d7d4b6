// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code arca completion}: prints a completion script for every command and option (picocli's
 * generator), for bash and, through bashcompinit, zsh (docs/cli.md "Shell completion").
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a bash/zsh completion script for arca's commands and options.",
      "bash: source <(arca completion)",
      "zsh:  autoload -U +X bashcompinit && bashcompinit && source <(arca completion)"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("arca", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
