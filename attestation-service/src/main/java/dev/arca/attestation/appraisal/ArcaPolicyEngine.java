package dev.arca.attestation.appraisal;

import dev.arca.attestation.registry.Device;
import dev.arca.evidence.Claims;
import dev.arca.policy.Decision;
import dev.arca.policy.DecisionInput;
import dev.arca.policy.DeviceFacts;
import dev.arca.policy.EarStatus;
import dev.arca.policy.EvidenceFacts;
import dev.arca.policy.ModelFacts;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.PolicyProblem;
import dev.arca.policy.RuleOutcome;
import dev.arca.policy.TcbStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public PolicyOutcome decide(PolicyQuery q) {
      Decision d = policy.decide(input(q));
      List<String> rules = new ArrayList<>();
      for (RuleOutcome r : d.decidedBy()) {
        rules.add(r.rule());
      }
      return new PolicyOutcome(
          d.permitted(),
          rules,
          d.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          d.obligations().leaseLength(),
          d.obligations().offlineAllowance(),
          d.obligations().maxRequestsPerMinute().isPresent()
              ? Optional.of(d.obligations().maxRequestsPerMinute().getAsInt())
              : Optional.empty());
    }
  }

  static DecisionInput input(PolicyQuery q) {
    Device dev = q.device();
    Map<String, String> attrs = dev.attributes();
    Claims c = q.claims();
    Map<String, Object> claims = new LinkedHashMap<>(c.raw());
    claims.put("securityLevel", c.securityLevel());
    claims.put("insecureFlags", c.insecureFlags());
    claims.put("tcb", c.tcb());
    return DecisionInput.builder()
        .device(
            DeviceFacts.builder()
                .id(dev.id())
                .deviceClass(attrs.getOrDefault("class", ""))
                .site(attrs.getOrDefault("site", ""))
                .owner(attrs.getOrDefault("owner", ""))
                .attributes(attrs)
                .enrolmentMethod(dev.format())
                .enrolledAt(dev.enrolledAt())
                .revoked(dev.revoked())
                .build())
        .evidence(
            EvidenceFacts.builder()
                .format(c.format())
                .hardwareRooted(c.hardwareRooted())
                .debug(c.debug())
                .tcbStatus(TcbStatus.UNKNOWN)
                .measurements(c.measurements())
                .earStatus(EarStatus.fromCelValue(q.appraisal().status()))
                .trustVector(q.appraisal().trustVector())
                .claims(claims)
                .build())
        .model(
            ModelFacts.builder()
                .id(q.model().modelId())
                .version(q.model().version())
                .labels(Map.of())
                .dataClasses(q.model().dataClasses())
                .publisher(q.model().publishedBy())
                .build())
        .dataClass(q.dataClass())
        .purpose(q.purpose())
        .time(q.time())
        .build();
  }
}
