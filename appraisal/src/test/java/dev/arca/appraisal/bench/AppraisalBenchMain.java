// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link AppraisalBenchmark} (methods matching {@code args[0]}, default all) and prints each
 * format's appraisal and verification as a ratio to its bare signature check from the same run.
 * Short settings (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement) for a shared machine; usage in
 * docs/benchmarks.md.
 */
public final class AppraisalBenchMain {
  private AppraisalBenchMain() {}

  public static void main(String[] args) throws Exception {
    String methods = args.length > 0 ? args[0] : ".*";
    Options opts =
        new OptionsBuilder()
            .include(AppraisalBenchmark.class.getName() + "\\." + methods)
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    Map<String, double[]> byMethod = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      byMethod.put(
          name.substring(name.lastIndexOf('.') + 1),
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    System.out.println();
    System.out.printf("%-24s %12s %12s %10s%n", "benchmark", "ops/s", "±", "x bare");
    for (var e : byMethod.entrySet()) {
      double[] bare = byMethod.get("bare" + format(e.getKey()) + "Signature");
      double ratio = bare == null ? Double.NaN : bare[0] / e.getValue()[0];
      System.out.printf(
          "%-24s %12.1f %12.1f %10.2f%n", e.getKey(), e.getValue()[0], e.getValue()[1], ratio);
    }
    System.out.println("x bare = cost per operation / cost of the format's bare signature check");
  }

  /** The format part of a method name: {@code appraiseSevSnp} -> {@code SevSnp}. */
  private static String format(String method) {
    for (String prefix : new String[] {"appraise", "verify", "bare"}) {
      if (method.startsWith(prefix)) {
        String rest = method.substring(prefix.length());
        return rest.endsWith("Signature") ? rest.substring(0, rest.length() - 9) : rest;
      }
    }
    return method;
  }
}
