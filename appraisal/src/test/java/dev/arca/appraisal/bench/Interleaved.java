// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Cost ratios robust to the load of a shared machine: a baseline and the operations compared with
 * it are first all warmed up (so JIT compilation, which competes for the same cores, is over), then
 * timed in rounds of alternating batches of about 100 ms in one JVM, by the thread's CPU time (so
 * time spent waiting for a core is not counted); each operation's ratio is the median over the
 * rounds. JMH measures wall time, one benchmark after another a minute or more apart, so on a
 * loaded machine its pairs see different load.
 */
final class Interleaved {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private Interleaved() {}

  /** Median, minimum and maximum over the rounds of cost(op) / cost(baseline). */
  record Ratio(double median, double min, double max) {}

  /** The ratio of each of {@code ops} to {@code baseline}, over {@code rounds} rounds. */
  static List<Ratio> ratios(Callable<?> baseline, List<Callable<?>> ops, int rounds)
      throws Exception {
    int baseBatch = batchFor(baseline);
    List<Integer> batches = new ArrayList<>();
    for (Callable<?> op : ops) {
      batches.add(batchFor(op));
    }
    List<List<Double>> ratios = new ArrayList<>();
    ops.forEach(op -> ratios.add(new ArrayList<>()));
    for (int i = 0; i < rounds; i++) {
      double base = perCall(baseline, baseBatch);
      for (int k = 0; k < ops.size(); k++) {
        ratios.get(k).add(perCall(ops.get(k), batches.get(k)) / base);
      }
    }
    List<Ratio> out = new ArrayList<>();
    for (List<Double> r : ratios) {
      Collections.sort(r);
      out.add(new Ratio(r.get(rounds / 2), r.get(0), r.get(rounds - 1)));
    }
    return out;
  }

  /** Calls {@code op} for 3 s (warm-up) and returns a batch size of about 100 ms. */
  private static int batchFor(Callable<?> op) throws Exception {
    long start = System.nanoTime();
    int n = 0;
    while (System.nanoTime() - start < 3_000_000_000L) {
      op.call();
      n++;
    }
    return Math.max(1, n / 30);
  }

  /** CPU time of this thread per call, in ns: time spent waiting for a core is not counted. */
  private static double perCall(Callable<?> op, int n) throws Exception {
    long start = CPU.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      if (op.call() == null) {
        throw new IllegalStateException("an operation returned nothing");
      }
    }
    return (CPU.getCurrentThreadCpuTime() - start) / (double) n;
  }
}
