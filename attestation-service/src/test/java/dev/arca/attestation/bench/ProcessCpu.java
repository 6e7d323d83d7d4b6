// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time a process (and, apart, it with its descendants: the service's embedded PostgreSQL) spent
 * between {@link #start} and {@link #stop}, read from the OS ({@link
 * ProcessHandle.Info#totalCpuDuration()}), so a load generator on the same machine does not count.
 * A descendant that exits in between loses its share (PostgreSQL's pooled backends stay).
 */
final class ProcessCpu {
  private final ProcessHandle process;
  private final Map<Long, Long> before;
  private Map<Long, Long> after;

  private ProcessCpu(ProcessHandle process) {
    this.process = process;
    this.before = snapshot(process);
  }

  /** Starts measuring {@code process}. */
  static ProcessCpu start(ProcessHandle process) {
    return new ProcessCpu(process);
  }

  /** Ends the measurement. */
  void stop() {
    after = snapshot(process);
  }

  /** Milliseconds of CPU of the process itself. */
  double jvmMillis() {
    long pid = process.pid();
    return (after.getOrDefault(pid, 0L) - before.getOrDefault(pid, 0L)) / 1e6;
  }

  /** Milliseconds of CPU of the process and its descendants (new ones counted whole). */
  double treeMillis() {
    long total = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return total / 1e6;
  }

  private static Map<Long, Long> snapshot(ProcessHandle root) {
    Map<Long, Long> cpu = new HashMap<>();
    cpu.put(root.pid(), nanos(root));
    root.descendants().forEach(h -> cpu.put(h.pid(), nanos(h)));
    return cpu;
  }

  private static long nanos(ProcessHandle h) {
    return h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
