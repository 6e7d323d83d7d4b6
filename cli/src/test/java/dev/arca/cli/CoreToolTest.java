// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core {@code arca} (publishers, security teams, device admins, auditors) carries no device
 * runtime, no demo stack and no service: its class path, which is exactly what this module's
 * distribution ships ({@code target/lib}), holds none of their classes, and {@code --help} lists
 * only the commands it can run. The runtime and the demo come as plugins (cli-runtime, cli-demo).
 */
class CoreToolTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ai.onnxruntime.OrtEnvironment", // ONNX Runtime and its native library
        "dev.arca.runtime.RuntimeAgent", // enclave-runtime
        "dev.arca.runtime.attester.TpmSession",
        "dev.arca.devstack.ProcessSupervisor", // devstack: Keycloak launcher, service process
        "dev.arca.devstack.KeycloakLauncher",
        "io.quarkus.runtime.Quarkus", // the service's framework
        "dev.arca.attestation.api.BodyLimitFilter"
      })
  void theClassPathHoldsNoRuntimeDemoOrServiceCode(String className) {
    assertThatThrownBy(() -> Class.forName(className, false, Arca.class.getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void helpListsTheCoreCommandsOnly() {
    CliRun cli = new CliRun();
    assertThat(cli.execute("--help")).isEqualTo(ExitCode.OK);
    List<String> commands = commandColumn(cli.out());
    assertThat(commands)
        .contains("evidence", "model", "policy", "audit", "login", "device", "infer", "completion")
        .doesNotContain("demo", "runtime", "service");

    assertThat(cli.execute("model", "--help")).isEqualTo(ExitCode.OK);
    assertThat(commandColumn(cli.out()))
        .contains("seal", "verify", "publish")
        .doesNotContain("inspect");
  }

  @Test
  void aPluginCommandIsUnknownHereWithAUsageError() {
    CliRun cli = new CliRun();
    assertThat(cli.execute("runtime", "--attester", "dev")).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("runtime");
    assertThat(cli.execute("demo", "--no-tpm")).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("demo");
    assertThat(cli.execute("model", "inspect", "m.onnx")).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("inspect");
  }

  @Test
  void noTpmAccessForDeviceEnrolmentIsInstalled() {
    assertThat(
            java.util.ServiceLoader.load(
                    dev.arca.cli.admin.DeviceTpm.class, Arca.class.getClassLoader())
                .findFirst())
        .isEmpty();
  }

  /** The first word of each indented line under "Commands:" in a usage message. */
  private static List<String> commandColumn(String usage) {
    String commands = usage.substring(usage.indexOf("Commands:"));
    return commands
        .lines()
        .skip(1)
        .filter(l -> l.startsWith("  ") && !l.isBlank() && !l.startsWith("      "))
        .map(l -> l.strip().split("[ ,]", 2)[0])
        .toList();
  }
}
