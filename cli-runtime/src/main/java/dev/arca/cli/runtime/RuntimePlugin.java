// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import dev.arca.cli.CommandPlugin;
import java.util.List;
import java.util.Map;

/**
 * The device's commands: {@code arca runtime} and {@code arca model inspect}, the two that run ONNX
 * Runtime. Installed on devices and by developers, not in the auditor's or publisher's tool.
 */
public final class RuntimePlugin implements CommandPlugin {

  @Override
  public List<Object> commands() {
    return List.of(new RuntimeCommand());
  }

  @Override
  public Map<String, List<Object>> subcommands() {
    return Map.of("model", List.of(new ModelInspectCommand()));
  }
}
