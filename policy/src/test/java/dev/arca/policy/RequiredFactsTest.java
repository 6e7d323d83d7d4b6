// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every security-relevant fact must be set explicitly: a builder missing any one of them refuses to
 * build and names it (no default can be safe for these).
 */
class RequiredFactsTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static EvidenceFacts.Builder evidenceWithout(String field) {
    EvidenceFacts.Builder b = EvidenceFacts.builder();
    if (!field.equals("evidence.format")) {
      b.format("tpm2");
    }
    if (!field.equals("evidence.hardwareRooted")) {
      b.hardwareRooted(true);
    }
    if (!field.equals("evidence.debug")) {
      b.debug(false);
    }
    if (!field.equals("evidence.tcbStatus")) {
      b.tcbStatus(TcbStatus.UP_TO_DATE);
    }
    if (!field.equals("evidence.earStatus")) {
      b.earStatus(EarStatus.AFFIRMING);
    }
    return b;
  }

  static DeviceFacts.Builder deviceWithout(String field) {
    DeviceFacts.Builder b = DeviceFacts.builder();
    if (!field.equals("device.id")) {
      b.id("d");
    }
    if (!field.equals("device.enrolment.method")) {
      b.enrolmentMethod("tpm-ek");
    }
    if (!field.equals("device.enrolment.enrolledAt")) {
      b.enrolledAt(T);
    }
    if (!field.equals("device.revoked")) {
      b.revoked(false);
    }
    return b;
  }

  static void refusedNaming(UnaryOperator<String> build, String field) {
    assertThatThrownBy(() -> build.apply(field))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(field + " must be set");
  }

  @Test
  void evidenceNeedsFormatRootingDebugTcbAndEarStatus() {
    for (String f :
        new String[] {
          "evidence.format",
          "evidence.hardwareRooted",
          "evidence.debug",
          "evidence.tcbStatus",
          "evidence.earStatus"
        }) {
      refusedNaming(x -> evidenceWithout(x).build().toString(), f);
    }
    evidenceWithout("nothing").build();
  }

  @Test
  void deviceNeedsIdEnrolmentAndRevocation() {
    for (String f :
        new String[] {
          "device.id", "device.enrolment.method", "device.enrolment.enrolledAt", "device.revoked"
        }) {
      refusedNaming(x -> deviceWithout(x).build().toString(), f);
    }
    deviceWithout("nothing").build();
  }

  @Test
  void modelNeedsIdAndVersion() {
    refusedNaming(x -> ModelFacts.builder().version(1).build().toString(), "model.id");
    refusedNaming(x -> ModelFacts.builder().id("m").build().toString(), "model.version");
  }

  @Test
  void aDecisionNeedsDeviceEvidenceModelDataClassAndTime() {
    refusedNaming(x -> TestInputs.hospital().device(null).build().toString(), "device");
    refusedNaming(x -> TestInputs.hospital().evidence(null).build().toString(), "evidence");
    refusedNaming(x -> TestInputs.hospital().model(null).build().toString(), "model");
    refusedNaming(x -> TestInputs.hospital().dataClass(null).build().toString(), "data.class");
    refusedNaming(x -> TestInputs.hospital().time(null).build().toString(), "time");
  }
}
