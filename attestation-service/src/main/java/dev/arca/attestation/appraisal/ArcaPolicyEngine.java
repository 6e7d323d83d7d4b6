package dev.arca.attestation.appraisal;

import dev.arca.attestation.registry.Device;
import dev.arca.audit.AppraisalRecord;
import dev.arca.audit.AppraisalReplay;
import dev.arca.audit.AppraisalStatus;
import dev.arca.audit.DecisionInputs;
import dev.arca.policy.Decision;
import dev.arca.policy.DecisionInput;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.PolicyProblem;
import dev.arca.policy.RuleOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PolicyEngine} on the {@code policy} module (YAML rules, CEL conditions): maps the
 * service's device, claims, appraisal and model into the module's typed variables.
 */
@ApplicationScoped
public class ArcaPolicyEngine implements PolicyEngine {

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
    public PolicyOutcome decide(PolicyQuery q) {
      Decision d = policy.decide(input(q));
      List<String> rules = new ArrayList<>();
      for (RuleOutcome r : d.decidedBy()) {
        rules.add(r.rule());
      }
      return new PolicyOutcome(
          d.permitted(),
          rules,
          AppraisalReplay.reasonId(d.reason()),
          d.obligations().leaseLength(),
          d.obligations().offlineAllowance(),
          d.obligations().maxRequestsPerMinute().isPresent()
              ? Optional.of(d.obligations().maxRequestsPerMinute().getAsInt())
              : Optional.empty());
    }
  }

  /** The query as the policy module's input: {@link DecisionInputs}, the code replays use too. */
  static DecisionInput input(PolicyQuery q) {
    Device dev = q.device();
    return DecisionInputs.of(
        dev.id(),
        dev.format(),
        dev.attributes(),
        dev.enrolledAt(),
        q.claims(),
        new AppraisalStatus(q.appraisal().status(), q.appraisal().trustVector()),
        new AppraisalRecord.Model(
            q.model().modelId(),
            q.model().version(),
            q.model().dataClasses(),
            q.model().publishedBy()),
        q.dataClass(),
        q.purpose(),
        q.time());
  }
}
