// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import dev.arca.bench.Figure;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link AppraisalBenchmark} (methods matching {@code args[0]}, default all) and prints each
 * format's appraisal and verification as a ratio to its bare signature check from the same run;
 * then the same ratios measured interleaved in this JVM ({@link Interleaved}), which load drift
 * between JMH's consecutive benchmarks does not skew. Pass {@code -} as {@code args[0]} to skip
 * JMH. Short settings (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement) for a shared machine; usage in
 * docs/benchmarks.md.
 */
public final class AppraisalBenchMain {
  private static final int ROUNDS = 15;

  private AppraisalBenchMain() {}

  public static void main(String[] args) throws Exception {
    String methods = args.length > 0 ? args[0] : ".*";
    if (!methods.equals("-")) {
      jmh(methods);
    }
    interleaved();
  }

  private static void jmh(String methods) throws Exception {
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

  /** Each format's appraisal and verification against its bare check, interleaved in one JVM. */
  private static void interleaved() throws Exception {
    AppraisalBenchmark b = new AppraisalBenchmark();
    b.setUp();
    System.out.println();
    System.out.println(
        "interleaved in one JVM, thread CPU time, 15 rounds of ~100 ms batches: cost / bare cost");
    System.out.printf("%-16s %8s %8s %8s%n", "benchmark", "median", "min", "max");
    print(
        "SevSnp",
        Interleaved.ratios(
            b::bareSevSnpSignature, List.of(b::verifySevSnp, b::appraiseSevSnp), ROUNDS));
    print(
        "Tdx",
        Interleaved.ratios(b::bareTdxSignature, List.of(b::verifyTdx, b::appraiseTdx), ROUNDS));
    print(
        "Nitro",
        Interleaved.ratios(
            b::bareNitroSignature, List.of(b::verifyNitro, b::appraiseNitro), ROUNDS));
  }

  private static void print(String format, List<Interleaved.Ratio> r) {
    String[] names = {"verify" + format, "appraise" + format};
    for (int i = 0; i < 2; i++) {
      System.out.printf(
          "%-16s %8.2f %8.2f %8.2f%n", names[i], r.get(i).median(), r.get(i).min(), r.get(i).max());
    }
    // Figure lines for ./arca bench: the interleaved medians (the JMH pairs drift with the load).
    for (int i = 0; i < 2; i++) {
      double median = r.get(i).median();
      Figure.of(
              names[i] + " (CPU, interleaved)",
              median,
              "x bare",
              "bare" + format + "Signature",
              median,
              i == 1 ? "ratio<=1.5" : "-")
          .print();
    }
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
