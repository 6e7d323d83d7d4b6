// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

/**
 * A suite for {@link BenchCommandTest}: prints human output and two figure lines as the real suites
 * do, or, with argument {@code fail}, one figure and exit code 3.
 */
public final class SampleSuite {
  private SampleSuite() {}

  private static String suite() {
    return System.getProperty("arca.bench.suite", "unnamed");
  }

  public static void main(String[] args) {
    System.out.println("# JMH-like output the table ignores");
    System.out.println(new Figure(suite(), "verify", 2.5, "ms", "bare", 1.25, "ratio<=1.5").line());
    if (args.length > 0 && args[0].equals("fail")) {
      System.err.println("sample: the service did not start");
      System.exit(3);
    }
    System.out.println(
        new Figure(suite(), "appraise", 4.0, "ms", "bare", 2.0, "ratio<=1.5").line());
  }
}
