// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** How plugin commands join the core's: at the top level, under a core command, never over one. */
class PluginsTest {

  @Command(name = "extra", description = "An extra command.")
  static final class Extra implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "audit", description = "A plugin's command that would shadow the core's audit.")
  static final class FakeAudit implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  private static CommandPlugin plugin(List<Object> top, Map<String, List<Object>> under) {
    return new CommandPlugin() {
      @Override
      public List<Object> commands() {
        return top;
      }

      @Override
      public Map<String, List<Object>> subcommands() {
        return under;
      }
    };
  }

  @Test
  void addsTopLevelCommandsAndSubcommandsUnderACoreCommand() {
    CommandLine root = new CommandLine(new Arca());
    Plugins.addTo(
        root, List.of(plugin(List.of(new Extra()), Map.of("model", List.of(new Extra())))));
    assertThat(root.getSubcommands()).containsKey("extra");
    assertThat(root.getSubcommands().get("model").getSubcommands()).containsKey("extra");
  }

  @Test
  void aPluginCannotReplaceACoreCommand() {
    CommandLine root = new CommandLine(new Arca());
    assertThatThrownBy(
            () -> Plugins.addTo(root, List.of(plugin(List.of(new FakeAudit()), Map.of()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'audit'");
    assertThat(root.getSubcommands().get("audit").<Object>getCommand())
        .isNotInstanceOf(FakeAudit.class);
  }

  @Test
  void aPluginNamingAParentArcaLacksIsRefused() {
    CommandLine root = new CommandLine(new Arca());
    assertThatThrownBy(
            () ->
                Plugins.addTo(
                    root, List.of(plugin(List.of(), Map.of("no-such", List.of(new Extra()))))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such");
  }
}
