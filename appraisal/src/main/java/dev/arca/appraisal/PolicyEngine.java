// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import java.util.List;

/**
 * Compiles policy documents (YAML rules with CEL conditions, the {@code policy} module). Compiling
 * happens once at upload and again when the active policy is loaded; deciding then takes
 * microseconds.
 */
public interface PolicyEngine {

  /**
   * Compiles a document.
   *
   * @throws PolicyRejectedException listing every problem with its location
   */
  CompiledPolicy compile(String document, String sourceName) throws PolicyRejectedException;

  /** One problem in a policy document. Line and column are 1-based, 0 when unknown. */
  record Problem(String id, int line, int column, String message) {}

  /** The document does not compile. */
  final class PolicyRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public PolicyRejectedException(List<Problem> problems) {
      super(problems.size() + " problem(s) in the policy");
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }
}
