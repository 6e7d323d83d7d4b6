// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.Claims;
import dev.arca.policy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The policy module behind the appraisal's engine interface: a refused document's problems keep
 * their place, reason ids are kebab case, and a permit carries every obligation of its rules.
 */
class ArcaPolicyEngineTest {
  static final String POLICY =
      """
      apiVersion: arca.dev/v1alpha1
      kind: Policy
      metadata:
        name: p
        version: 1
      rules:
        - name: all
          effect: permit
          when: "true"
          obligations:
            leaseLength: 2h
            offlineAllowance: 30m
            maxRequestsPerMinute: 12
            reattestationInterval: 15m
      """;

  /** A dev device's query about {@code model} for {@code dataClass}. */
  private static PolicyQuery query(AppraisalRecord.Model model, String dataClass) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new PolicyQuery(
        new AppraisalRecord.Device("d", "dev", "dev:1", "00", Map.of(), t),
        Claims.builder("dev").deviceIdentity("dev:1").securityLevel("software").build(),
        new AppraisalStatus("warning", Map.of()),
        model,
        dataClass,
        "treatment",
        t);
  }

  @Test
  void aRefusedDocumentNamesEachProblemWhereItIs() {
    assertThatThrownBy(
            () -> new ArcaPolicyEngine().compile(POLICY.replace("\"true\"", "\"(\""), "p"))
        .isInstanceOfSatisfying(
            PolicyEngine.PolicyRejectedException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              assertThat(e.problems().get(0).line()).isEqualTo(9);
              assertThat(e.problems().get(0).column()).isPositive();
            });
  }

  @Test
  void reasonIdsAreKebabCase() {
    assertThat(ArcaPolicyEngine.reasonId(Decision.Reason.PERMITTED)).isEqualTo("permitted");
    assertThat(ArcaPolicyEngine.reasonId(Decision.Reason.NO_MATCHING_PERMIT))
        .isEqualTo("no-matching-permit");
  }

  @Test
  void aPermitCarriesEveryObligation() throws Exception {
    CompiledPolicy p = new ArcaPolicyEngine().compile(POLICY, "p");
    PolicyOutcome o =
        p.decide(query(new AppraisalRecord.Model("m", 1, List.of("phi"), "pub"), "phi"));
    assertThat(o.permitted()).isTrue();
    assertThat(o.decidedBy()).containsExactly("all");
    assertThat(o.lease()).contains(Duration.ofHours(2));
    assertThat(o.offlineAllowance()).contains(Duration.ofMinutes(30));
    assertThat(o.maxRequestsPerMinute()).contains(12);
    assertThat(o.reattestationInterval()).contains(Duration.ofMinutes(15));
  }

  @Test
  void aModelsSignedLabelsReachThePolicy() throws Exception {
    CompiledPolicy p =
        new ArcaPolicyEngine()
            .compile(
                POLICY.replace(
                    "\"true\"",
                    "\"'pci-approved' in model.labels && model.labels['pci-approved'] == 'true'\""),
                "p");
    for (var labels : List.of(Map.of("pci-approved", "true"), Map.<String, String>of())) {
      PolicyOutcome o =
          p.decide(query(new AppraisalRecord.Model("m", 1, List.of("pci"), labels, "pub"), "pci"));
      assertThat(o.permitted()).as(labels.toString()).isEqualTo(!labels.isEmpty());
    }
  }
}
