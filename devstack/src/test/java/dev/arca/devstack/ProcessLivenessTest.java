// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real zombie: alive to the JDK, stopped to a stack that waits for its children to end. */
class ProcessLivenessTest {

  @Test
  void aZombieHasStoppedThoughTheJdkCallsItAlive() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc (Linux)");
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
    // The shell starts a short sleep, then becomes a long one that never reaps it.
    Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0.2 & exec sleep 60").start();
    try {
      ProcessHandle zombie = awaitChild(parent);
      assertThat(ProcessLiveness.awaitStopped(List.of(zombie), Duration.ofSeconds(30))).isTrue();
      assertThat(zombie.isAlive()).as("the JDK counts a zombie alive").isTrue();
      assertThat(ProcessLiveness.running(zombie)).isFalse();
      assertThat(ProcessLiveness.running(parent.toHandle())).isTrue();
      assertThat(ProcessLiveness.describeRunning(List.of(zombie, parent.toHandle())))
          .contains(Long.toString(parent.pid()))
          .contains("sleep 60")
          .doesNotContain(zombie.pid() + " [");
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }

  @Test
  void aRunningProcessIsWaitedForUntilTheTimeout() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(ProcessLiveness.awaitStopped(List.of(sleeper.toHandle()), Duration.ofMillis(300)))
          .isFalse();
      sleeper.destroy();
      assertThat(ProcessLiveness.awaitStopped(List.of(sleeper.toHandle()), Duration.ofSeconds(30)))
          .isTrue();
    } finally {
      sleeper.destroyForcibly();
    }
  }

  private static ProcessHandle awaitChild(Process parent) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var child = parent.descendants().findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the shell started no child");
  }
}
