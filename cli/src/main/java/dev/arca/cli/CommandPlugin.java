// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import java.util.List;
import java.util.Map;

/**
 * Commands that a jar beside the core {@code arca} adds to it, found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/dev.arca.cli.CommandPlugin}). The core tool
 * holds what publishers, security teams and auditors use; the device runtime ({@code cli-runtime})
 * and the demo ({@code cli-demo}) come as plugins, so a tool carries ONNX Runtime or a Keycloak
 * launcher only when its user runs them.
 *
 * <p>Each command is an instance of a picocli {@code @Command} class; its name is the one the
 * annotation gives. A plugin whose command name is already taken is refused at start ({@link
 * Plugins}), so a jar on the class path cannot replace a core command.
 */
public interface CommandPlugin {

  /** The top-level commands this plugin adds, e.g. {@code arca runtime}. */
  List<Object> commands();

  /**
   * The subcommands this plugin adds under core top-level commands, keyed by the parent's name,
   * e.g. {@code "model"} for {@code arca model inspect}.
   */
  default Map<String, List<Object>> subcommands() {
    return Map.of();
  }
}
