// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs fixtures against a policy, like {@code opa test}: each fixture's input is decided and the
 * verdict (and, when the fixture gives them, the matched rules and obligations) compared with what
 * it expects. The logic of {@code arca policy test}; the CLI only prints the {@link
 * PolicyTestReport}.
 */
public final class PolicyTester {

  private PolicyTester() {}

  /**
   * Runs every fixture. Fixtures that name rules the policy does not have fail with that
   * difference, so a renamed rule cannot make an expectation silently vacuous.
   */
  public static PolicyTestReport run(Policy policy, List<PolicyFixture> fixtures) {
    Set<String> ruleNames = new LinkedHashSet<>();
    policy.rules().forEach(r -> ruleNames.add(r.name()));
    List<FixtureResult> results = new ArrayList<>();
    for (PolicyFixture f : fixtures) {
      Decision d = policy.decide(f.input());
      List<String> diffs = new ArrayList<>();
      if (d.verdict() != f.expectedVerdict()) {
        diffs.add(
            "effect: expected "
                + f.expectedVerdict().yamlName()
                + ", got "
                + d.verdict().yamlName());
      }
      f.expectedMatched()
          .ifPresent(
              expected -> {
                for (String name : expected) {
                  if (!ruleNames.contains(name)) {
                    diffs.add("matched: the policy has no rule named '" + name + "'");
                  }
                }
                Set<String> want = new LinkedHashSet<>(expected);
                Set<String> got = new LinkedHashSet<>(d.matchedRules());
                if (!want.equals(got)) {
                  Set<String> missing = new LinkedHashSet<>(want);
                  missing.removeAll(got);
                  Set<String> unexpected = new LinkedHashSet<>(got);
                  unexpected.removeAll(want);
                  StringBuilder sb =
                      new StringBuilder("matched: expected " + want + ", got " + got);
                  if (!missing.isEmpty()) {
                    sb.append("\n    - expected but did not match: ")
                        .append(String.join(", ", missing));
                  }
                  if (!unexpected.isEmpty()) {
                    sb.append("\n    + matched but not expected:   ")
                        .append(String.join(", ", unexpected));
                  }
                  diffs.add(sb.toString());
                }
              });
      f.expectedObligations()
          .ifPresent(
              expected -> {
                if (!expected.equals(d.obligations())) {
                  diffs.add("obligations: expected " + expected + ", got " + d.obligations());
                }
              });
      results.add(new FixtureResult(f, d, diffs));
    }
    return new PolicyTestReport(policy, results);
  }
}
