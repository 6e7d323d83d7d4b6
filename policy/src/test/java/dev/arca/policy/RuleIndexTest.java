// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static dev.arca.policy.TestInputs.hospital;
import static dev.arca.policy.TestInputs.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule index files rules only where it is sound, and never changes a decision. */
class RuleIndexTest {

  static RuleConstraints constraintsOf(String when) throws Exception {
    return TestInputs.load(rule("r", "permit", when)).rules().get(0).constraints();
  }

  @Test
  void equalityOnModelIdOrDataClassIsAConstraint() throws Exception {
    assertThat(constraintsOf("model.id == 'm1'"))
        .isEqualTo(new RuleConstraints(Set.of("m1"), null));
    assertThat(constraintsOf("'m1' == model.id && device.site == 'x'"))
        .isEqualTo(new RuleConstraints(Set.of("m1"), null));
    assertThat(constraintsOf("data.class in ['phi', 'pci'] && !evidence.debug"))
        .isEqualTo(new RuleConstraints(null, Set.of("phi", "pci")));
    assertThat(constraintsOf("evidence.hardwareRooted && (model.id == 'a' && data.class == 'phi')"))
        .isEqualTo(new RuleConstraints(Set.of("a"), Set.of("phi")));
  }

  @Test
  void severalConstraintsOnOneFieldIntersect() throws Exception {
    assertThat(constraintsOf("model.id in ['a', 'b'] && model.id in ['b', 'c']"))
        .isEqualTo(new RuleConstraints(Set.of("b"), null));
    assertThat(constraintsOf("model.id == 'a' && model.id == 'b'"))
        .isEqualTo(new RuleConstraints(Set.of(), null));
  }

  @Test
  void anythingElseIsNotAConstraint() throws Exception {
    for (String when :
        List.of(
            "model.id == 'a' || model.id == 'b'",
            "!(model.id != 'a')",
            "model.id != 'a'",
            "model.id.startsWith('a')",
            "data.class in model.dataClasses",
            "model.id in [device.id]",
            "[model.id].exists(x, x == 'a')",
            "model.publisher == 'a'",
            "true")) {
      assertThat(constraintsOf(when)).as(when).isEqualTo(RuleConstraints.NONE);
    }
  }

  @Test
  void skippedRulesAreReportedAsNotApplicable() throws Exception {
    Policy p =
        TestInputs.load(
            rule("for-m2", "forbid", "model.id == 'm2' && device.attributes['x'] == 'y'"),
            rule("for-m1", "permit", "model.id == 'm1'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.PERMIT);
    assertThat(d.outcomes().get(0).status()).isEqualTo(RuleOutcome.Status.NOT_APPLICABLE);
    // Evaluated, the skipped forbid rule is false (not an error): && is false when one side is.
    Decision naive = p.decideEvaluatingEveryRule(hospital().build());
    assertThat(naive.outcomes().get(0).status()).isEqualTo(RuleOutcome.Status.NOT_MATCHED);
    assertThat(naive.verdict()).isEqualTo(Verdict.PERMIT);
  }

  /**
   * Random policies (indexable and unindexable rules, some that error at run time) and random
   * inputs: the indexed decision always equals evaluating every rule.
   */
  @Test
  void indexedDecisionsEqualEvaluatingEveryRule() throws Exception {
    Random rnd = new Random(20261125);
    String[] models = {"m0", "m1", "m2", "m3"};
    String[] classes = {"phi", "pci", "synthetic"};
    String[] extra = {
      "true",
      "false",
      "evidence.hardwareRooted",
      "!evidence.debug",
      "device.attributes['missing'] == 'x'", // run-time error
      "evidence.claims['firmwareVersion'] >= 5",
      "device.site == 'st-mary'",
      "model.version > 2"
    };
    int compared = 0;
    for (int policyNo = 0; policyNo < 40; policyNo++) {
      List<String> rules = new ArrayList<>();
      int n = 1 + rnd.nextInt(12);
      for (int i = 0; i < n; i++) {
        String cond =
            switch (rnd.nextInt(6)) {
              case 0 -> "model.id == '" + pick(rnd, models) + "'";
              case 1 -> "data.class == '" + pick(rnd, classes) + "'";
              case 2 ->
                  "model.id in ['"
                      + pick(rnd, models)
                      + "', '"
                      + pick(rnd, models)
                      + "']"
                      + " && data.class == '"
                      + pick(rnd, classes)
                      + "'";
              case 3 -> "(model.id == '" + pick(rnd, models) + "' || evidence.debug)";
              case 4 -> "'" + pick(rnd, classes) + "' == data.class";
              default -> "true";
            };
        cond = cond + " && " + pick(rnd, extra);
        String effect = rnd.nextInt(3) == 0 ? "forbid" : "permit";
        String r = rule("r" + i, effect, cond);
        if (effect.equals("permit") && rnd.nextBoolean()) {
          r += "    obligations: {leaseLength: " + (1 + rnd.nextInt(48)) + "h}\n";
        }
        rules.add(r);
      }
      Policy p = TestInputs.load(rules.toArray(new String[0]));
      for (int k = 0; k < 25; k++) {
        DecisionInput in =
            hospital()
                .model(
                    ModelFacts.builder()
                        .id(pick(rnd, models))
                        .version(rnd.nextInt(5))
                        .dataClasses(List.of("phi"))
                        .build())
                .dataClass(pick(rnd, classes))
                .evidence(
                    TestInputs.tpm()
                        .debug(rnd.nextBoolean())
                        .hardwareRooted(rnd.nextBoolean())
                        .claims(Map.of("firmwareVersion", rnd.nextInt(10)))
                        .build())
                .build();
        Decision indexed = p.decide(in);
        Decision naive = p.decideEvaluatingEveryRule(in);
        assertThat(indexed.verdict()).isEqualTo(naive.verdict());
        assertThat(indexed.reason()).isEqualTo(naive.reason());
        assertThat(indexed.matchedRules()).isEqualTo(naive.matchedRules());
        assertThat(indexed.obligations()).isEqualTo(naive.obligations());
        assertThat(indexed.errors()).isEqualTo(naive.errors());
        compared++;
      }
    }
    assertThat(compared).isEqualTo(1000);
  }

  private static String pick(Random rnd, String[] values) {
    return values[rnd.nextInt(values.length)];
  }
}
