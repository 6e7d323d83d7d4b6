// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import dev.arca.bench.Figure;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link PolicyBenchmark} and prints, per rule count, the p50/p99 decision latency of the
 * indexed decision and of the naive every-rule baseline measured in the same run, and their ratio.
 * Command in docs/benchmarks.md.
 */
public final class PolicyBenchmarkMain {
  private PolicyBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    Options opts = new OptionsBuilder().include(PolicyBenchmark.class.getName() + "\\.").build();
    Collection<RunResult> results = new Runner(opts).run();
    Map<String, Statistics> byKey = new HashMap<>();
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      String rules = r.getParams().getParam("rules");
      byKey.put(method + "/" + rules, r.getPrimaryResult().getStatistics());
    }
    System.out.println();
    System.out.printf(
        "%6s  %14s %14s  %16s %16s  %12s%n",
        "rules", "indexed p50", "indexed p99", "every-rule p50", "every-rule p99", "speed-up p50");
    for (String n : new String[] {"10", "100", "1000"}) {
      Statistics idx = byKey.get("indexed/" + n);
      Statistics all = byKey.get("naiveEveryRule/" + n);
      if (idx == null || all == null) {
        continue;
      }
      System.out.printf(
          "%6s  %11.2f us %11.2f us  %13.2f us %13.2f us  %11.1fx%n",
          n,
          idx.getPercentile(50) / 1000,
          idx.getPercentile(99) / 1000,
          all.getPercentile(50) / 1000,
          all.getPercentile(99) / 1000,
          all.getPercentile(50) / idx.getPercentile(50));
      // Figure line for ./arca bench: the goal is a decision within 10 µs at p50 at any size.
      Figure.of(
              "decide p50, " + n + " rules",
              idx.getPercentile(50) / 1000,
              "µs",
              "every rule evaluated",
              idx.getPercentile(50) / all.getPercentile(50),
              "value<=10")
          .print();
    }
  }
}
