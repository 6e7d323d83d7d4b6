// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * What one rule contributed to a decision.
 *
 * @param rule the rule's name
 * @param effect the rule's effect
 * @param status whether its condition held
 * @param error for {@link Status#ERROR}, what went wrong while evaluating (never input secrets: the
 *     CEL runtime's message names the failing operation, e.g. a missing map key)
 */
public record RuleOutcome(String rule, Effect effect, Status status, Optional<String> error) {

  /** How a rule's condition came out. */
  public enum Status {
    /** The condition evaluated to true. */
    MATCHED,
    /** The condition evaluated to false. */
    NOT_MATCHED,
    /**
     * Evaluating the condition failed (e.g. a missing map key). Counts as matched for a forbid rule
     * and as not matched for a permit rule: errors fail closed.
     */
    ERROR,
    /**
     * Not evaluated because the rule's condition requires a different model id or data class than
     * the request's (see the README, "Rule index"); its condition is false for this input.
     */
    NOT_APPLICABLE
  }

  public RuleOutcome {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(error, "error");
  }

  /** Whether this rule counts as matched for the decision (errors count for forbid rules only). */
  public boolean countsAsMatched() {
    return status == Status.MATCHED || (status == Status.ERROR && effect == Effect.FORBID);
  }
}
