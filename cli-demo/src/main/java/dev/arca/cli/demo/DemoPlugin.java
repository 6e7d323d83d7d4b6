// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.demo;

import dev.arca.cli.CommandPlugin;
import dev.arca.cli.service.ServiceCommand;
import java.util.List;

/**
 * The developer's commands: {@code arca demo} and {@code arca service}, which start Keycloak, the
 * attestation service and runtimes as local processes (module devstack).
 */
public final class DemoPlugin implements CommandPlugin {

  @Override
  public List<Object> commands() {
    return List.of(new DemoCommand(), new ServiceCommand());
  }
}
