// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the whole policy loader (YAML, schema, CEL parse and check, rule index): only {@link
 * PolicyLoadException} may escape, every problem is located, and whatever loads decides a fixed
 * input without throwing (rule failures become part of the decision). Seeds: the sample policies.
 */
class PolicyLoaderFuzzTest {

  private static final DecisionInput INPUT = TestInputs.hospital().build();

  @FuzzTest(maxDuration = "15s")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Policy policy;
    try {
      policy = PolicyLoader.parse(text, "fuzz.yaml");
    } catch (PolicyLoadException e) {
      assertThat(e.problems()).isNotEmpty();
      for (PolicyProblem p : e.problems()) {
        assertThat(p.location().file()).isEqualTo("fuzz.yaml");
        assertThat(p.id()).startsWith("policy.");
      }
      return;
    }
    Decision d = policy.decide(INPUT);
    assertThat(d.verdict()).isNotNull();
    assertThat(d.matchedRules()).isEqualTo(policy.decideEvaluatingEveryRule(INPUT).matchedRules());
    assertThat(d.explain()).contains(policy.name());
  }
}
