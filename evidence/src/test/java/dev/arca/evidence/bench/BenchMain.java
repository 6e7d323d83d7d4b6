// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.bench.Figure;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the evidence benchmarks whose names match {@code args[0]} and prints each one's throughput
 * as a ratio to the baseline benchmark named {@code args[1]} (run in the same process). Usage in
 * docs/benchmarks.md.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BenchMain <benchmark regex> <baseline method name>");
      System.exit(2);
    }
    Options opts =
        new OptionsBuilder()
            .include(args[0])
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(2))
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    double baseline = Double.NaN;
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("." + args[1])) {
        baseline = r.getPrimaryResult().getScore();
      }
    }
    System.out.println();
    System.out.printf("%-60s %14s %10s%n", "benchmark", "ops/s", "ratio");
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      System.out.printf(
          "%-60s %14.1f %10.3f%n", r.getParams().getBenchmark(), score, score / baseline);
    }
    System.out.println("ratio = ops/s divided by the ops/s of " + args[1]);
    // The same as figure lines for ./arca bench: cost (1 / ops/s) relative to the baseline's.
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      double score = r.getPrimaryResult().getScore();
      String goal = name.matches(VERIFICATIONS) ? "ratio<=1.5" : "-";
      Figure.of(name, score, "ops/s", args[1], baseline / score, goal).print();
    }
  }

  /** The whole-verification benchmarks, whose goal is at most 1.5 bare signature checks. */
  private static final String VERIFICATIONS =
      "verifyQuote|androidKeyVerify|snpReportVerify|tdxQuoteVerify|nitroVerify|psaVerify|ccaVerify";
}
