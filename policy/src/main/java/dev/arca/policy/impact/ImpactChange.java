// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy.impact;

import java.util.List;

/**
 * A recorded decision that a draft policy decides differently.
 *
 * @param before the recorded verdict (true = permit)
 * @param after the draft's verdict
 * @param draftRules the rules that decided under the draft
 * @param draftReason why the draft decided so ({@code Decision.Reason}, lower case)
 */
public record ImpactChange(
    RecordedDecision recorded,
    boolean before,
    boolean after,
    List<String> draftRules,
    String draftReason) {
  public ImpactChange {
    draftRules = List.copyOf(draftRules);
  }
}
