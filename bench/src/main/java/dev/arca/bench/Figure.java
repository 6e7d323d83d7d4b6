// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.util.Locale;
import java.util.Optional;

/**
 * One measured figure of a benchmark suite, as the suite prints it on a line of its own:
 *
 * <pre>
 * {@code arca-bench <TAB> suite <TAB> figure <TAB> value <TAB> unit <TAB> baseline <TAB> ratio <TAB> goal}
 * </pre>
 *
 * {@code ratio} is the figure's cost divided by the cost of {@code baseline}, measured in the same
 * process ({@code -} when the figure has no baseline); {@code goal} is {@code ratio<=X}, {@code
 * value<=X}, {@code value>=X} or {@code -}. A suite's main prints its figures with {@link #of} and
 * {@link #print()} (the modules' test sources depend on this module).
 *
 * @param suite the suite's name, e.g. {@code evidence-tpm2}
 * @param name what was measured, e.g. {@code verifyQuote}
 * @param value the figure in {@code unit}
 * @param unit e.g. {@code ops/s}, {@code ms}, {@code MiB}
 * @param baseline what the ratio divides by, or {@code -}
 * @param ratio cost relative to the baseline; NaN when there is none
 * @param goal the target, or {@code -}
 */
public record Figure(
    String suite,
    String name,
    double value,
    String unit,
    String baseline,
    double ratio,
    String goal) {

  /** The marker that starts a figure line in a suite's output. */
  public static final String MARKER = "arca-bench";

  /** The system property that names the suite; {@code ./arca bench} sets it for each suite. */
  public static final String SUITE_PROPERTY = "arca.bench.suite";

  /**
   * A figure of the suite running in this JVM (named by {@value #SUITE_PROPERTY}, else {@code
   * unnamed}).
   *
   * @param ratio cost relative to the baseline's; NaN for none (then {@code baseline} is {@code -})
   */
  public static Figure of(
      String name, double value, String unit, String baseline, double ratio, String goal) {
    return new Figure(
        System.getProperty(SUITE_PROPERTY, "unnamed"), name, value, unit, baseline, ratio, goal);
  }

  /** Prints {@link #line()} on standard output, where {@code ./arca bench} reads it. */
  public void print() {
    System.out.println(line());
  }

  /**
   * The figure on {@code line}, or empty if the line is not a figure line.
   *
   * @throws IllegalArgumentException for a figure line that does not have the documented fields
   */
  public static Optional<Figure> parse(String line) {
    if (!line.startsWith(MARKER + "\t")) {
      return Optional.empty();
    }
    String[] f = line.split("\t", -1);
    if (f.length != 8) {
      throw new IllegalArgumentException("a figure line has 8 tab-separated fields: " + line);
    }
    try {
      double ratio = f[6].equals("-") ? Double.NaN : Double.parseDouble(f[6]);
      Figure figure = new Figure(f[1], f[2], Double.parseDouble(f[3]), f[4], f[5], ratio, f[7]);
      figure.met(); // refuses an unreadable goal now, not when the report is written
      return Optional.of(figure);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a figure line with a number that is not one: " + line, e);
    }
  }

  /** Whether the goal is met; empty when there is no goal (or no ratio for a ratio goal). */
  public Optional<Boolean> met() {
    if (goal.equals("-")) {
      return Optional.empty();
    }
    String[] g = goal.split("(?<=[<>]=)|(?=[<>]=)", -1);
    if (g.length != 3 || !(g[0].equals("ratio") || g[0].equals("value"))) {
      throw new IllegalArgumentException(
          "goal must be ratio<=X, value<=X or value>=X, not " + goal);
    }
    double limit = Double.parseDouble(g[2]);
    double measured = g[0].equals("ratio") ? ratio : value;
    if (Double.isNaN(measured)) {
      return Optional.empty();
    }
    return Optional.of(g[1].equals("<=") ? measured <= limit : measured >= limit);
  }

  /** The line a suite prints for this figure; {@link #parse} reads it back. */
  public String line() {
    return String.join(
        "\t",
        MARKER,
        suite,
        name,
        String.format(Locale.ROOT, "%.6g", value),
        unit,
        baseline,
        Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.4f", ratio),
        goal);
  }
}
