// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whether a process still runs, counting a zombie as stopped.
 *
 * <p>{@link ProcessHandle#isAlive()} is true for a zombie: a process that has exited but whose
 * parent has not reaped it. An orphan is re-parented to the nearest reaper, and in a container
 * whose init never reaps, an exited orphan stays a zombie for good; waiting on its {@link
 * ProcessHandle#onExit()} never ends. A zombie holds no memory, ports or files, so for stopping a
 * stack it has stopped.
 */
public final class ProcessLiveness {

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration REAP_GRACE = Duration.ofSeconds(2);

  private ProcessLiveness() {}

  /**
   * True while {@code process} runs: alive and, where {@code /proc} says so, not a zombie (state
   * {@code Z}) or dead ({@code X}).
   */
  public static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    char state = state(process.pid());
    return state != 'Z' && state != 'X';
  }

  /**
   * Waits until none of {@code processes} {@linkplain #running(ProcessHandle) runs} or {@code
   * timeout} passes, then up to two seconds more for their parents to reap them; returns whether
   * none runs.
   */
  public static boolean awaitStopped(List<ProcessHandle> processes, Duration timeout) {
    if (!await(processes, ProcessLiveness::running, System.nanoTime() + timeout.toNanos())) {
      return false;
    }
    // A parent that still runs reaps its exited children within moments: give it that, so
    // callers see them gone, not zombies; where nothing reaps, they stay zombies and count stopped.
    await(processes, ProcessHandle::isAlive, System.nanoTime() + REAP_GRACE.toNanos());
    return true;
  }

  /** Polls until no process matches {@code alive} or the deadline; whether none matches. */
  private static boolean await(
      List<ProcessHandle> processes,
      java.util.function.Predicate<ProcessHandle> alive,
      long deadline) {
    while (processes.stream().anyMatch(alive)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * One line per process of {@code processes} that still runs: pid, state and command line, for a
   * failure message.
   */
  public static String describeRunning(List<ProcessHandle> processes) {
    StringBuilder b = new StringBuilder();
    for (ProcessHandle p : processes) {
      if (running(p)) {
        b.append(p.pid())
            .append(" [")
            .append(state(p.pid()))
            .append("] ")
            .append(p.info().commandLine().orElse("?"))
            .append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  /**
   * The state letter from {@code /proc/<pid>/stat} (the field after the parenthesised command,
   * which may itself hold spaces), or {@code ?} where there is no {@code /proc}.
   */
  private static char state(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      int close = stat.lastIndexOf(')');
      return close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
    } catch (IOException | RuntimeException e) {
      return '?'; // gone between the two reads, or no /proc: isAlive() alone decides
    }
  }
}
