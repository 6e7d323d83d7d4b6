// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.cli.CommandPlugin;
import dev.arca.cli.admin.DeviceTpm;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The runtime's plugin is found the way the core finds plugins, and brings TPM enrolment. */
class RuntimePluginTest {

  @Test
  void theCoreFindsThePluginAndItsTpmAccess() {
    assertThat(ServiceLoader.load(CommandPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(RuntimePlugin.class);
    assertThat(ServiceLoader.load(DeviceTpm.class).findFirst())
        .get()
        .isInstanceOf(RuntimeDeviceTpm.class);
  }

  @Test
  void theTpmAccessRefusesATpmItCannotName() {
    assertThatThrownBy(() -> new RuntimeDeviceTpm().open("tpm0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/dev/tpmrm0");
  }
}
