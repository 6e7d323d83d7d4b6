// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time a process (and, apart, it with its descendants: the service's embedded PostgreSQL) spent
 * between {@link #start} and {@link #stop}, read from the OS ({@link
 * ProcessHandle.Info#totalCpuDuration()}), so a load generator on the same machine does not count.
 * A descendant that exits in between loses its share (PostgreSQL's pooled backends stay).
 */
final class ProcessCpu {
  private final ProcessHandle process;
  private final String folder;
  private final Map<Long, Long> before;
  private Map<Long, Long> after;

  private ProcessCpu(ProcessHandle process, String folder) {
    this.process = process;
    this.folder = folder;
    this.before = snapshot();
  }

  /** Starts measuring {@code process}, with its helpers that name {@code dataFolder}. */
  static ProcessCpu start(ProcessHandle process, Path dataFolder) {
    return new ProcessCpu(process, dataFolder.toAbsolutePath().toString());
  }

  /** Starts measuring {@code process} and its descendants. */
  static ProcessCpu start(ProcessHandle process) {
    return new ProcessCpu(process, null);
  }

  /** Ends the measurement. */
  void stop() {
    after = snapshot();
  }

  /** Milliseconds of CPU of the process itself. */
  double jvmMillis() {
    long pid = process.pid();
    return (after.getOrDefault(pid, 0L) - before.getOrDefault(pid, 0L)) / 1e6;
  }

  /** Milliseconds of CPU of the process and its helpers (new ones counted whole). */
  double treeMillis() {
    long total = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return total / 1e6;
  }

  private Map<Long, Long> snapshot() {
    Map<Long, Long> cpu = new HashMap<>();
    List<ProcessHandle> roots = new ArrayList<>(List.of(process));
    if (folder != null) {
      ProcessHandle.allProcesses()
          .filter(h -> h.info().commandLine().orElse("").contains(folder))
          .forEach(roots::add);
    }
    for (ProcessHandle root : roots) {
      cpu.put(root.pid(), nanos(root));
      root.descendants().forEach(h -> cpu.put(h.pid(), nanos(h)));
    }
    return cpu;
  }

  private static long nanos(ProcessHandle h) {
    return h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
