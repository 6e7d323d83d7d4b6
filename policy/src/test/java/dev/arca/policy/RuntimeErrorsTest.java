// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A condition that fails at decision time (a claim the evidence lacks) is an error outcome whose
 * text points into the policy file, never a silent non-match; a failing forbid rule denies.
 */
class RuntimeErrorsTest {
  @Test
  void aMissingKeyIsReportedWhereTheConditionIsWritten() throws Exception {
    Policy p =
        PolicyLoader.parse(
            TestInputs.policy(
                TestInputs.rule("ok", "permit", "true"),
                TestInputs.rule("needs-claim", "forbid", "evidence.claims.nope == 1")),
            "p.yaml");
    Decision d = p.decide(TestInputs.hospital().build());
    assertThat(d.verdict()).isNotEqualTo(Verdict.PERMIT);
    assertThat(d.errors()).hasSize(1);
    RuleOutcome e = d.errors().get(0);
    assertThat(e.rule()).isEqualTo("needs-claim");
    // File, line and column of the condition, then the runtime's message naming the key.
    assertThat(e.error())
        .hasValueSatisfying(m -> assertThat(m).matches("p\\.yaml:12:\\d+: .*'nope'.*"));
  }
}
