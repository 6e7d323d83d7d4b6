// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static dev.arca.policy.TestInputs.hospital;
import static dev.arca.policy.TestInputs.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every declared variable and field evaluates at run time with the type the checker declared: a
 * condition that type-checks cannot fail on the shape of the input, only on dynamic lookups.
 */
class VariablesShapeTest {

  static final List<String> EVERY_FIELD =
      List.of(
          "device.id == 'ws-1'",
          "device.class == 'clinical-workstation'",
          "device.site == 'st-mary'",
          "device.owner == 'radiology'",
          "device.attributes['firmware'] == '1.8.2' && size(device.attributes) == 1",
          "device.enrolment.method == 'tpm-ek'",
          "device.enrolment.enrolledAt == timestamp('2026-01-01T00:00:00Z')",
          "time - device.enrolment.enrolledAt > duration('24h')",
          "device.revoked == false",
          "evidence.format == 'tpm2'",
          "evidence.hardwareRooted == true",
          "evidence.debug == false",
          "evidence.tcbStatus == 'up-to-date'",
          "evidence.measurements['pcr.sha256.23'].size() == 64",
          "evidence.earStatus == 'affirming'",
          "evidence.trustVector['hardware'] == 2 && evidence.trustVector['executables'] <= 2",
          "evidence.claims['firmwareVersion'] == 7",
          "evidence.claims['pcrs']['23'].startsWith('ab')",
          "has(evidence.claims.pcrs) && !has(evidence.claims.nope)",
          "model.id == 'm1'",
          "model.version == 3 && model.version > 2",
          "model.labels['risk'] == 'high'",
          "'phi' in model.dataClasses && model.dataClasses.exists(c, c == 'phi')",
          "model.publisher == 'radiology-ml'",
          "data.class == 'phi'",
          "request.purpose == 'treatment'",
          "time == timestamp('2026-11-25T12:00:00Z')",
          "time.getFullYear() == 2026");

  @Test
  void everyFieldEvaluatesWithItsDeclaredType() throws Exception {
    for (String when : EVERY_FIELD) {
      Policy p = TestInputs.load(rule("r", "permit", when));
      Decision d = p.decide(hospital().build());
      assertThat(d.errors()).as(when).isEmpty();
      assertThat(d.verdict()).as(when).isEqualTo(Verdict.PERMIT);
    }
  }

  @Test
  void everyDeclaredFieldIsCoveredAbove() {
    String all = String.join(" ", EVERY_FIELD);
    for (var v : PolicyVariables.VARIABLES.entrySet()) {
      if (v.getValue() instanceof dev.cel.common.types.StructType s) {
        for (String f : s.fieldNames()) {
          assertThat(all).as(v.getKey() + "." + f).contains(v.getKey() + "." + f);
        }
      } else {
        assertThat(all).contains(v.getKey());
      }
    }
  }

  @Test
  void enrolmentFieldsAreCovered() {
    for (String f : PolicyVariables.ENROLMENT.fieldNames()) {
      assertThat(String.join(" ", EVERY_FIELD)).contains("device.enrolment." + f);
    }
  }

  @Test
  void claimsAreConvertedToCelValues() throws Exception {
    DecisionInput in =
        hospital()
            .evidence(
                TestInputs.tpm()
                    .claims(
                        java.util.Map.of(
                            "i",
                            (Object) Integer.valueOf(5),
                            "f",
                            1.5f,
                            "b",
                            new byte[] {1, 2},
                            "t",
                            TestInputs.NOW,
                            "l",
                            List.of(1, 2, 3)))
                    .build())
            .build();
    Policy p =
        TestInputs.load(
            rule(
                "r",
                "permit",
                "evidence.claims.i == 5 && evidence.claims.f == 1.5"
                    + " && evidence.claims.b == b'\\\\x01\\\\x02' && size(evidence.claims.l) == 3"
                    + " && evidence.claims.t == time"));
    Decision d = p.decide(in);
    assertThat(d.errors()).isEmpty();
    assertThat(d.verdict()).isEqualTo(Verdict.PERMIT);
  }
}
