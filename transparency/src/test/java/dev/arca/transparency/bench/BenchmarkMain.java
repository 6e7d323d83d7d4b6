// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.bench;

import dev.arca.bench.Figure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link TransparencyBenchmark} and prints every score with its ratio to the in-process
 * baseline (one SHA-256 of one entry) and, for appends, entries per second. Command in
 * docs/benchmarks.md.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    Options opts =
        new OptionsBuilder()
            .include(
                TransparencyBenchmark.class.getName() + "\\." + (args.length > 0 ? args[0] : ""))
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    double baseline = Double.NaN;
    List<String[]> rows = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      double score = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      if (name.equals("baselineSha256Entry")) {
        baseline = score;
      }
      rows.add(new String[] {name, String.format("%.1f", score), String.format("%.1f", err)});
    }
    System.out.println();
    System.out.printf(
        "%-28s %12s %10s %10s %14s%n", "benchmark", "ns/op", "+-", "x baseline", "ops/s");
    for (String[] row : rows) {
      double score = Double.parseDouble(row[1]);
      System.out.printf(
          "%-28s %12s %10s %10.1f %14.0f%n", row[0], row[1], row[2], score / baseline, 1e9 / score);
    }
    for (String[] row : rows) { // figure lines for ./arca bench
      double score = Double.parseDouble(row[1]);
      Figure.of(row[0], score, "ns/op", "baselineSha256Entry", score / baseline, "-").print();
    }
  }
}
