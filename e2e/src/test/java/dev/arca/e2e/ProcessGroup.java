// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one Linux process group, read from {@code /proc}: what a shell script started in
 * the background stays in its group after the script exits, so the group finds (and stops) them.
 */
final class ProcessGroup {
  private final long id;

  ProcessGroup(long id) {
    this.id = id;
  }

  /** The live processes of this group (zombies excluded). */
  List<ProcessHandle> members() {
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException gone) {
          continue; // exited while we looked
        }
        // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after
        // the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        if (!f[0].equals("Z") && Long.parseLong(f[2]) == id) {
          ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return found;
  }

  /** Waits until the group is empty or {@code timeout} passed; returns what is still running. */
  List<ProcessHandle> awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ProcessHandle> left = members();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      left = members();
    }
    return left;
  }

  /** SIGTERM to every member, then SIGKILL to what is left after {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    members().forEach(ProcessHandle::destroy);
    for (ProcessHandle h : awaitEmpty(grace)) {
      h.destroyForcibly();
    }
    awaitEmpty(Duration.ofSeconds(10));
  }

  static String describe(List<ProcessHandle> processes) {
    List<String> s = new ArrayList<>();
    for (ProcessHandle h : processes) {
      s.add(h.pid() + " " + h.info().commandLine().orElse("?"));
    }
    return String.join("; ", s);
  }
}
