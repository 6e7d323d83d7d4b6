// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy.impact;

import dev.arca.policy.DecisionInput;
import java.util.List;
import java.util.Objects;

/**
 * A decision as recorded (e.g. in the audit log): what was asked, what was decided, by which rules.
 *
 * @param ref where it was recorded (e.g. {@code audit#42 demo-model:phi}), for the report
 */
public record RecordedDecision(
    String ref, DecisionInput input, boolean permitted, List<String> rules) {
  public RecordedDecision {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(input, "input");
    rules = List.copyOf(rules);
  }
}
