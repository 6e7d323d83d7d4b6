// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.policy.Decision;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.PolicyProblem;
import dev.arca.policy.RuleOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link PolicyEngine} on the {@code policy} module (YAML rules, CEL conditions), fed through
 * {@link DecisionInputs}: the service decides with it and a replay re-decides with it.
 */
public final class ArcaPolicyEngine implements PolicyEngine {

  @Override
  public CompiledPolicy compile(String document, String sourceName) throws PolicyRejectedException {
    try {
      return new Compiled(PolicyLoader.parse(document, sourceName));
    } catch (PolicyLoadException e) {
      List<Problem> problems = new ArrayList<>();
      for (PolicyProblem p : e.problems()) {
        problems.add(
            new Problem(
                p.id(),
                p.location() == null ? 0 : p.location().line(),
                p.location() == null ? 0 : p.location().column(),
                p.message()));
      }
      throw new PolicyRejectedException(problems);
    }
  }

  /** The service's reason id for a decision: the enum name in kebab case. */
  public static String reasonId(Decision.Reason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private record Compiled(Policy policy) implements CompiledPolicy {
    @Override
    public String name() {
      return policy.name();
    }

    @Override
    public long version() {
      return policy.version();
    }

    @Override
    public String sha256() {
      return policy.sha256();
    }

    @Override
    public boolean allowsWithoutReferenceValues(String format) {
      return policy.withoutReferenceValues().contains(format);
    }

    @Override
    public PolicyOutcome decide(PolicyQuery q) {
      Decision d =
          policy.decide(
              DecisionInputs.of(
                  q.device(),
                  q.claims(),
                  q.appraisal(),
                  q.model(),
                  q.dataClass(),
                  q.purpose(),
                  q.time()));
      List<String> rules = new ArrayList<>();
      for (RuleOutcome r : d.decidedBy()) {
        rules.add(r.rule());
      }
      return new PolicyOutcome(
          d.permitted(),
          rules,
          reasonId(d.reason()),
          d.obligations().leaseLength(),
          d.obligations().offlineAllowance(),
          d.obligations().maxRequestsPerMinute().isPresent()
              ? Optional.of(d.obligations().maxRequestsPerMinute().getAsInt())
              : Optional.empty(),
          d.obligations().reattestationInterval());
    }
  }
}
