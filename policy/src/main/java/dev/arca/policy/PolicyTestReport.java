// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.List;
import java.util.Objects;

/**
 * The results of {@link PolicyTester#run}: a table of every fixture and a readable diff for each
 * failure, in the style of {@code opa test}.
 *
 * @param policy the policy tested
 * @param results one result per fixture, in run order
 */
public record PolicyTestReport(Policy policy, List<FixtureResult> results) {

  public PolicyTestReport {
    Objects.requireNonNull(policy, "policy");
    results = List.copyOf(results);
  }

  /** True when every fixture passed (and there was at least one). */
  public boolean passed() {
    return !results.isEmpty() && failed() == 0;
  }

  /** How many fixtures failed. */
  public long failed() {
    return results.stream().filter(r -> !r.passed()).count();
  }

  /**
   * The table: one row per fixture with expected and actual effect, the matched rules and PASS or
   * FAIL; then the diff of each failure (with the decision's full explanation); then a summary
   * line.
   */
  public String render() {
    int nameWidth = "FIXTURE".length();
    for (FixtureResult r : results) {
      nameWidth = Math.max(nameWidth, r.fixture().name().length());
    }
    String row = "%-6s  %-" + nameWidth + "s  %-8s  %-8s  %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append("policy ")
        .append(policy.name())
        .append(" v")
        .append(policy.version())
        .append(" (")
        .append(policy.source())
        .append(")\n\n");
    sb.append(String.format(row, "RESULT", "FIXTURE", "EXPECTED", "ACTUAL", "MATCHED RULES"));
    for (FixtureResult r : results) {
      List<String> matched = r.decision().matchedRules();
      sb.append(
          String.format(
              row,
              r.passed() ? "PASS" : "FAIL",
              r.fixture().name(),
              r.fixture().expectedVerdict().yamlName(),
              r.decision().verdict().yamlName(),
              matched.isEmpty() ? "-" : String.join(", ", matched)));
    }
    for (FixtureResult r : results) {
      if (r.passed()) {
        continue;
      }
      sb.append("\n--- FAIL: ")
          .append(r.fixture().name())
          .append(" (")
          .append(r.fixture().source())
          .append(")\n");
      for (String d : r.differences()) {
        sb.append("  ").append(d).append('\n');
      }
      sb.append("  decision:\n");
      r.decision().explain().lines().forEach(line -> sb.append("    ").append(line).append('\n'));
    }
    sb.append('\n')
        .append(results.size() - failed())
        .append(" passed, ")
        .append(failed())
        .append(" failed\n");
    return sb.toString();
  }
}
