// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy.impact;

import dev.arca.policy.Decision;
import dev.arca.policy.Policy;
import dev.arca.policy.RuleOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays recorded decisions against a draft policy and lists those whose verdict would change
 * ({@code arca policy impact}). The draft decides on exactly the recorded inputs, including their
 * recorded time, so the answer does not depend on the wall clock.
 */
public final class PolicyImpact {
  private PolicyImpact() {}

  /** The recorded decisions that {@code draft} would decide the other way, in input order. */
  public static List<ImpactChange> changes(Policy draft, List<RecordedDecision> recorded) {
    List<ImpactChange> out = new ArrayList<>();
    for (RecordedDecision r : recorded) {
      Decision d = draft.decide(r.input());
      if (d.permitted() != r.permitted()) {
        List<String> rules = new ArrayList<>();
        for (RuleOutcome o : d.decidedBy()) {
          rules.add(o.rule());
        }
        out.add(
            new ImpactChange(
                r,
                r.permitted(),
                d.permitted(),
                rules,
                d.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')));
      }
    }
    return out;
  }
}
