// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static dev.arca.policy.TestInputs.hospital;
import static dev.arca.policy.TestInputs.load;
import static dev.arca.policy.TestInputs.permit;
import static dev.arca.policy.TestInputs.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each semantic rule of the README, "Semantics", on real CEL evaluation. */
class DecisionSemanticsTest {

  @Test
  void denyByDefaultWhenNoRuleMatches() throws Exception {
    Policy p = load(rule("other-site", "permit", "device.site == 'elsewhere'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.DENY);
    assertThat(d.reason()).isEqualTo(Decision.Reason.NO_MATCHING_PERMIT);
    assertThat(d.matchedRules()).isEmpty();
    assertThat(d.decidedBy()).isEmpty();
    assertThat(d.obligations()).isEqualTo(Obligations.NONE);
  }

  @Test
  void denyByDefaultWhenOnlyForbidRulesExistAndNoneMatch() throws Exception {
    Policy p = load(rule("no-debug", "forbid", "evidence.debug"));
    assertThat(p.decide(hospital().build()).verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void aMatchingPermitPermits() throws Exception {
    Policy p = load(rule("st-mary", "permit", "device.site == 'st-mary'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.PERMIT);
    assertThat(d.permitted()).isTrue();
    assertThat(d.reason()).isEqualTo(Decision.Reason.PERMITTED);
    assertThat(d.decidedBy()).extracting(RuleOutcome::rule).containsExactly("st-mary");
  }

  @Test
  void anyMatchingForbidWinsOverEveryPermit() throws Exception {
    Policy p =
        load(
            rule("permit-a", "permit", "true"),
            rule("permit-b", "permit", "device.site == 'st-mary'"),
            rule("forbid-high-risk", "forbid", "model.labels['risk'] == 'high'"),
            rule("forbid-unmatched", "forbid", "device.revoked"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.DENY);
    assertThat(d.reason()).isEqualTo(Decision.Reason.FORBIDDEN);
    assertThat(d.decidedBy()).extracting(RuleOutcome::rule).containsExactly("forbid-high-risk");
    assertThat(d.matchedRules()).containsExactly("permit-a", "permit-b", "forbid-high-risk");
    assertThat(d.obligations()).isEqualTo(Obligations.NONE);
  }

  @Test
  void forbidWinsWhateverTheRuleOrder() throws Exception {
    Policy forbidFirst =
        load(rule("f", "forbid", "evidence.format == 'tpm2'"), rule("p", "permit", "true"));
    Policy forbidLast =
        load(rule("p", "permit", "true"), rule("f", "forbid", "evidence.format == 'tpm2'"));
    assertThat(forbidFirst.decide(hospital().build()).verdict()).isEqualTo(Verdict.DENY);
    assertThat(forbidLast.decide(hospital().build()).verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void aForbidThatFailsToEvaluateCountsAsMatched() throws Exception {
    // 'missing' is not an attribute of the device: the lookup is a run-time error.
    Policy p =
        load(
            rule("permit-all", "permit", "true"),
            rule("forbid-on-missing", "forbid", "device.attributes['missing'] == 'x'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.DENY);
    assertThat(d.reason()).isEqualTo(Decision.Reason.FORBIDDEN);
    assertThat(d.matchedRules()).contains("forbid-on-missing");
    assertThat(d.errors())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.rule()).isEqualTo("forbid-on-missing");
              assertThat(o.status()).isEqualTo(RuleOutcome.Status.ERROR);
              // The error names the place in the file, not an offset in the expression.
              assertThat(o.error()).hasValue("test.yaml:12:29: key 'missing' not found");
            });
    assertThat(d.explain()).contains("forbid-on-missing").contains("error, counts as matched");
  }

  @Test
  void aPermitThatFailsToEvaluateCountsAsNotMatched() throws Exception {
    Policy p = load(rule("permit-on-missing", "permit", "device.attributes['missing'] == 'x'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.DENY);
    assertThat(d.reason()).isEqualTo(Decision.Reason.NO_MATCHING_PERMIT);
    assertThat(d.matchedRules()).isEmpty();
    assertThat(d.errors()).extracting(RuleOutcome::rule).containsExactly("permit-on-missing");
    assertThat(d.explain()).contains("error, counts as not matched");
  }

  @Test
  void aFailingPermitDoesNotStopAnotherPermit() throws Exception {
    Policy p =
        load(
            rule("broken", "permit", "evidence.claims['nope'] == 1"),
            rule("working", "permit", "device.site == 'st-mary'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.PERMIT);
    assertThat(d.matchedRules()).containsExactly("working");
    assertThat(d.errors()).extracting(RuleOutcome::rule).containsExactly("broken");
  }

  @Test
  void dynamicClaimOfAnotherTypeFailsClosed() throws Exception {
    // firmwareVersion is an int claim; comparing it with a string is a run-time error.
    Policy p =
        load(
            rule("permit-all", "permit", "true"),
            rule("forbid-old-firmware", "forbid", "evidence.claims['firmwareVersion'] < 'x'"));
    assertThat(p.decide(hospital().build()).verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void obligationsOfMatchingPermitsCombineToTheMostRestrictive() throws Exception {
    Policy p =
        load(
            permit("a", "true", "{leaseLength: 24h, offlineAllowance: 72h}"),
            permit("b", "true", "{leaseLength: 8h, maxRequestsPerMinute: 600}"),
            permit(
                "c",
                "true",
                "{offlineAllowance: 3d, maxRequestsPerMinute: 60,"
                    + " reattestationInterval: 30m}"),
            permit("unmatched", "false", "{leaseLength: 1s}"));
    Decision d = p.decide(hospital().build());
    assertThat(d.verdict()).isEqualTo(Verdict.PERMIT);
    Obligations o = d.obligations();
    assertThat(o.leaseLength()).contains(Duration.ofHours(8));
    assertThat(o.offlineAllowance()).contains(Duration.ofDays(3));
    assertThat(o.maxRequestsPerMinute()).hasValue(60);
    assertThat(o.reattestationInterval()).contains(Duration.ofMinutes(30));
    assertThat(o.toString())
        .isEqualTo(
            "leaseLength=8h, offlineAllowance=72h, maxRequestsPerMinute=60,"
                + " reattestationInterval=30m");
  }

  @Test
  void permitWithoutObligationsHasNone() throws Exception {
    Decision d = load(rule("p", "permit", "true")).decide(hospital().build());
    assertThat(d.obligations().isEmpty()).isTrue();
  }

  @Test
  void theDecisionExplainsItself() throws Exception {
    Policy p =
        load(
            rule("no-debug", "forbid", "evidence.debug"),
            rule("st-mary", "permit", "device.site == 'st-mary'"),
            rule("other-model", "permit", "model.id == 'm2'"));
    Decision d = p.decide(hospital().build());
    assertThat(d.policyName()).isEqualTo("test-policy");
    assertThat(d.policyVersion()).isEqualTo(7);
    assertThat(d.outcomes())
        .extracting(RuleOutcome::rule, RuleOutcome::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("no-debug", RuleOutcome.Status.NOT_MATCHED),
            org.assertj.core.groups.Tuple.tuple("st-mary", RuleOutcome.Status.MATCHED),
            org.assertj.core.groups.Tuple.tuple("other-model", RuleOutcome.Status.NOT_APPLICABLE));
    assertThat(d.explain())
        .startsWith("policy test-policy v7: PERMIT (permitted by st-mary)")
        .contains("no-debug")
        .contains("not matched")
        .contains("other-model")
        .contains("obligations: none");
    assertThat(d.toString()).contains("PERMIT").contains("test-policy v7");
  }

  @Test
  void theDevAttesterCanBeDeniedForSensitiveClasses() throws Exception {
    Policy p =
        load(
            rule("permit-all", "permit", "true"),
            rule(
                "software-attester",
                "forbid",
                "!evidence.hardwareRooted && data.class in ['phi', 'pci']"));
    assertThat(p.decide(hospital().evidence(TestInputs.dev().build()).build()).verdict())
        .isEqualTo(Verdict.DENY);
    assertThat(
            p.decide(hospital().evidence(TestInputs.dev().build()).dataClass("synthetic").build())
                .verdict())
        .isEqualTo(Verdict.PERMIT);
  }

  @Test
  void theSamplePhiPolicyDeniesTheDevAttesterForSensitiveData() throws Exception {
    // Architecture rule 6: the default configuration denies the dev attester for sensitive data.
    Policy p = PolicyLoader.load(java.nio.file.Path.of("samples", "hipaa-phi.yaml"));
    for (String dataClass : new String[] {"phi", "pci", "confidential"}) {
      DecisionInput in =
          hospital()
              .evidence(TestInputs.dev().earStatus(EarStatus.AFFIRMING).build())
              .model(
                  ModelFacts.builder()
                      .id("triage")
                      .version(1)
                      .dataClasses(java.util.List.of(dataClass))
                      .build())
              .device(
                  DeviceFacts.builder()
                      .id("laptop")
                      .site("st-mary-hospital")
                      .enrolmentMethod("dev")
                      .enrolledAt(TestInputs.NOW)
                      .revoked(false)
                      .build())
              .dataClass(dataClass)
              .build();
      Decision d = p.decide(in);
      assertThat(d.verdict()).as(dataClass).isEqualTo(Verdict.DENY);
      assertThat(d.matchedRules()).contains("software-attester-for-sensitive-data");
    }
  }

  @Test
  void decisionTimeIsTheInputNotTheClock() throws Exception {
    Policy p = load(rule("before-2027", "permit", "time < timestamp('2027-01-01T00:00:00Z')"));
    assertThat(p.decide(hospital().build()).verdict()).isEqualTo(Verdict.PERMIT);
    assertThat(
            p.decide(hospital().time(java.time.Instant.parse("2027-06-01T00:00:00Z")).build())
                .verdict())
        .isEqualTo(Verdict.DENY);
  }
}
