// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The full tool: every core and plugin command answers {@code --help} (the inherited test factory
 * runs on this module's class path, where cli-runtime and cli-demo are present).
 */
class AllCommandsHelpTest extends HelpTest {

  @Test
  void thePluginsCommandsArePresent() {
    List<List<String>> paths = commandPaths(Arca.commandLine(), List.of());
    assertThat(paths)
        .contains(
            List.of("demo"),
            List.of("service"),
            List.of("runtime"),
            List.of("model", "inspect"),
            List.of("model", "seal"),
            List.of("audit", "verify"),
            List.of("device", "enroll"));
  }
}
