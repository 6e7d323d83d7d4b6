// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs and shells: start, readiness, failures quoting the log, tree-wide stop. */
class ProcessSupervisorTest {

  @TempDir Path runDir;

  private static ProcessBuilder child(String... args) {
    return JavaLauncher.main(
        TestChild.class.getName(),
        JavaLauncher.currentClasspath(),
        List.of("-Xmx48m", "-XX:TieredStopAtLevel=1"),
        Map.of(),
        List.of(args));
  }

  @Test
  void httpReadinessWaitsForTheChildAndItsOutputGoesToTheLogFile() throws Exception {
    int port = ProcessSupervisor.freeLoopbackPort();
    ManagedProcess web;
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      web = stack.start("web", child("http", Integer.toString(port)));
      web.awaitHttp(URI.create("http://127.0.0.1:" + port + "/ready"), Duration.ofSeconds(60));
      assertThat(web.isAlive()).isTrue();
      assertThat(web.logFile()).isEqualTo(runDir.toAbsolutePath().resolve("web.log"));
      assertThat(web.lastLogLines(5)).contains("listening on " + port);
      web.awaitPort(port, Duration.ofSeconds(5));
    }
    assertThat(web.isAlive()).isFalse();
  }

  @Test
  void portsDrawnTogetherAreDistinctAndFree() throws Exception {
    for (int round = 0; round < 50; round++) {
      int[] ports = ProcessSupervisor.freeLoopbackPorts(3);
      assertThat(ports).hasSize(3).doesNotHaveDuplicates().doesNotContain(0);
      for (int port : ports) {
        try (ServerSocket bound = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
          assertThat(bound.getLocalPort()).isEqualTo(port);
        }
      }
    }
  }

  @Test
  void aChildThatExitsBeforeReadyFailsWithItsExitCodeAndLastLogLines() throws Exception {
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      ManagedProcess bad = stack.start("bad", child("fail"));
      int port = ProcessSupervisor.freeLoopbackPort();
      assertThatThrownBy(() -> bad.awaitPort(port, Duration.ofSeconds(60)))
          .isInstanceOfSatisfying(
              DevStackException.class, e -> assertThat(e.id()).isEqualTo(DevStackException.EXITED))
          .hasMessageContaining("bad exited with code 3")
          .hasMessageContaining("boom: bad configuration in test.properties")
          .hasMessageContaining(bad.logFile().toString());
    }
  }

  @Test
  void aChildThatNeverListensTimesOutNamingWhatItWaitedFor() throws Exception {
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      ManagedProcess idle = stack.start("idle", child("sleep"));
      int port = ProcessSupervisor.freeLoopbackPort();
      List<Duration> polls = new ArrayList<>();
      assertThatThrownBy(() -> idle.awaitPort(port, Duration.ofSeconds(2), polls::add))
          .isInstanceOfSatisfying(
              DevStackException.class,
              e -> assertThat(e.id()).isEqualTo(DevStackException.NOT_READY))
          .hasMessageContaining("port " + port + " not ready within 2 s");
      assertThat(polls).isNotEmpty();
      assertThat(idle.isAlive()).isTrue(); // a timeout reports; close() stops
    }
  }

  @Test
  void closeStopsTheWholeProcessTreeIncludingGrandchildren() throws Exception {
    ProcessHandle child;
    ProcessHandle grandchild;
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      ManagedProcess parent = stack.start("parent", child("spawn"));
      long pid = awaitGrandchildPid(parent.logFile());
      child = parent.handle();
      grandchild = ProcessHandle.of(pid).orElseThrow();
      assertThat(child.descendants()).contains(grandchild);
    }
    assertThat(ProcessLiveness.running(child)).isFalse();
    assertThat(ProcessLiveness.running(grandchild)).isFalse();
  }

  @Test
  void aTreeIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh (POSIX signals)");
    ProcessHandle shell;
    List<ProcessHandle> tree = new ArrayList<>();
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir, Duration.ofSeconds(1))) {
      ManagedProcess stubborn =
          stack.start(
              "stubborn",
              new ProcessBuilder(
                  "/bin/sh", "-c", "trap '' TERM; echo ignoring TERM; sleep 600 & wait"));
      awaitLine(stubborn.logFile(), "ignoring TERM");
      shell = stubborn.handle();
      tree.add(shell);
      awaitDescendant(shell).ifPresent(tree::add);
    }
    assertThat(tree).hasSizeGreaterThanOrEqualTo(2).noneMatch(ProcessLiveness::running);
  }

  @Test
  void theShutdownHookStopsChildrenWhenTheSupervisingJvmGetsSigterm() throws Exception {
    ProcessHandle grandchild;
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      Path inner = runDir.resolve("inner");
      ManagedProcess demo = stack.start("demo", child("supervise", inner.toString()));
      grandchild = ProcessHandle.of(awaitGrandchildPid(demo.logFile())).orElseThrow();
      // SIGTERM to the supervising JVM only, as a terminal's Ctrl-C or `kill` would send it:
      // its own shutdown hook must stop the grandchild.
      demo.handle().destroy();
      demo.handle().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(ProcessLiveness.awaitStopped(List.of(grandchild), Duration.ofSeconds(30)))
          .isTrue();
      assertThat(readLines(demo.logFile())).contains("interrupted: stopping everything");
    }
    assertThat(ProcessLiveness.running(grandchild)).isFalse();
  }

  @Test
  void theShutdownHookStopsChildrenOnCtrlC() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "needs /bin/kill to send SIGINT");
    // A child inherits an ignored SIGINT (e.g. `cmd &` in a script without job control); the JVM
    // then never sees Ctrl-C, and neither would a user's terminal send it there.
    assumeTrue(!sigintIgnored(), "SIGINT is ignored in this environment (background job)");
    ProcessHandle grandchild;
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      ManagedProcess demo = stack.start("demo", child("supervise", runDir.resolve("i").toString()));
      grandchild = ProcessHandle.of(awaitGrandchildPid(demo.logFile())).orElseThrow();
      Process kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(demo.pid())).start();
      assertThat(kill.waitFor()).isZero();
      demo.handle().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(ProcessLiveness.awaitStopped(List.of(grandchild), Duration.ofSeconds(30)))
          .isTrue();
    }
    assertThat(ProcessLiveness.running(grandchild)).isFalse();
  }

  /**
   * Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status); false if unknown.
   */
  private static boolean sigintIgnored() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : readLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2L) != 0;
      }
    }
    return false;
  }

  @Test
  void startAfterCloseIsRefused() throws Exception {
    ProcessSupervisor stack = ProcessSupervisor.create(runDir);
    stack.onShutdownSignal(() -> fail("a signal action never runs on close()"));
    stack.close();
    assertThatThrownBy(() -> stack.start("late", child("sleep")))
        .isInstanceOfSatisfying(
            DevStackException.class,
            e -> assertThat(e.id()).isEqualTo(DevStackException.START_FAILED));
  }

  @Test
  void logFilesOfSameNamedChildrenDoNotOverwriteEachOther() throws Exception {
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      ManagedProcess first = stack.start("twin", child("fail"));
      ManagedProcess second = stack.start("twin", child("fail"));
      assertThat(first.logFile()).isNotEqualTo(second.logFile());
      assertThat(second.logFile().getFileName().toString()).isEqualTo("twin-2.log");
    }
  }

  static long awaitGrandchildPid(Path log) throws Exception {
    String line = awaitLine(log, "grandchild ");
    return Long.parseLong(line.substring("grandchild ".length()).trim());
  }

  static String awaitLine(Path log, String prefix) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : readLines(log)) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no line starting with '" + prefix + "' in " + log);
  }

  private static List<String> readLines(Path log) throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  private static Optional<ProcessHandle> awaitDescendant(ProcessHandle parent)
      throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      Optional<ProcessHandle> d = parent.descendants().findFirst();
      if (d.isPresent()) {
        return d;
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }
}
