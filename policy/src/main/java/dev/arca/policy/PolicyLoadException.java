// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.List;

/**
 * A policy document was refused at load time. Carries every problem found (not just the first),
 * each with its file, line and column, so one run of {@code arca policy lint} shows them all.
 */
public final class PolicyLoadException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<PolicyProblem> problems;

  /**
   * @param problems at least one problem
   */
  public PolicyLoadException(List<PolicyProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. Never empty. */
  public List<PolicyProblem> problems() {
    return problems;
  }

  private static String summary(List<PolicyProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a load failure needs at least one problem");
    }
    String first = problems.get(0).toString();
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }
}
