// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up path of a real service process is covered where the service is built (module e2e:
 * {@code AdminCommandsTest}, {@code DemoEndToEndTest}); here, what a user sees when it is not.
 */
class ServiceProcessTest {

  @Test
  void anUnbuiltServiceNamesTheBuildCommandAndStartsNothing(@TempDir Path root) throws Exception {
    RepositoryLayout empty = RepositoryLayout.at(root);
    try (ProcessSupervisor stack = ProcessSupervisor.create(root.resolve("run"))) {
      assertThatThrownBy(
              () ->
                  ServiceProcess.builder(empty)
                      .dataDirectory(root.resolve("data"))
                      .start(stack, ReadinessListener.NONE))
          .isInstanceOfSatisfying(
              DevStackException.class, e -> assertThat(e.id()).isEqualTo(DevStackException.MISSING))
          .hasMessageContaining(ServiceProcess.BUILD_COMMAND);
      assertThat(stack.children()).isEmpty();
    }
  }

  @Test
  void aDataDirectoryIsRequired(@TempDir Path root) throws Exception {
    try (ProcessSupervisor stack = ProcessSupervisor.create(root)) {
      assertThatThrownBy(
              () ->
                  ServiceProcess.builder(RepositoryLayout.at(root))
                      .start(stack, ReadinessListener.NONE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dataDirectory");
    }
  }
}
