// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;

/** Adds every {@link CommandPlugin} on the class path to a command line. */
final class Plugins {
  private Plugins() {}

  /**
   * Adds the plugins' commands to {@code root}.
   *
   * @throws IllegalStateException when a plugin names a command that exists already, or a parent
   *     that does not: a broken installation should fail loudly, not run a different command
   */
  static void addTo(CommandLine root) {
    addTo(root, ServiceLoader.load(CommandPlugin.class, Plugins.class.getClassLoader()));
  }

  /** Adds the given plugins' commands to {@code root}; see {@link #addTo(CommandLine)}. */
  static void addTo(CommandLine root, Iterable<? extends CommandPlugin> plugins) {
    for (CommandPlugin plugin : plugins) {
      for (Object command : plugin.commands()) {
        add(root, command, plugin);
      }
      for (Map.Entry<String, List<Object>> e : plugin.subcommands().entrySet()) {
        CommandLine parent = root.getSubcommands().get(e.getKey());
        if (parent == null) {
          throw new IllegalStateException(
              plugin.getClass().getName() + " adds to a command arca does not have: " + e.getKey());
        }
        for (Object command : e.getValue()) {
          add(parent, command, plugin);
        }
      }
    }
  }

  private static void add(CommandLine parent, Object command, CommandPlugin plugin) {
    CommandLine child = new CommandLine(command);
    String name = child.getCommandName();
    if (parent.getSubcommands().containsKey(name)) {
      throw new IllegalStateException(
          plugin.getClass().getName()
              + " adds '"
              + name
              + "', which "
              + parent.getCommandName()
              + " has already");
    }
    parent.addSubcommand(name, child);
  }
}
