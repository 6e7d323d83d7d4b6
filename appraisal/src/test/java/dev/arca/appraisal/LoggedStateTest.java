// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Appraisal entries checked against what the entries before them record, each divergence named by
 * its id: the state a database writer can put in behind the API's back.
 */
class LoggedStateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String ENROLMENT = "a".repeat(64);
  private static final String POLICY = "b".repeat(64);
  private static final ReferenceSet SET =
      new ReferenceSet("boot", 2, "dev", "class:box", Map.of("runtime", List.of("ab12")));

  private final LoggedState state = LoggedState.fromEntry(0);
  private long index;

  @Test
  void anAppraisalOfStateTheApiRecordedPasses() throws Exception {
    enrolled(Map.of("class", "box"));
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    addedSet();
    assertThatCode(() -> appraisal(true, ENROLMENT, Map.of("class", "box"), SET))
        .doesNotThrowAnyException();
  }

  @Test
  void eachDivergenceIsNamed() throws Exception {
    enrolled(Map.of("class", "box"));
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    assertRefused(
        () -> appraisal(true, "c".repeat(64), Map.of("class", "box")),
        "audit.replay.enrolment-not-logged");
    assertRefused(
        () -> appraisal(true, ENROLMENT, Map.of("class", "phi-box")),
        "audit.replay.attributes-not-logged");
    assertRefused(
        () -> appraisal(true, ENROLMENT, Map.of("class", "box"), SET),
        "audit.replay.reference-set-not-logged");
    logged("device.revoked", "device:edge-1", "ok", Map.of());
    assertRefused(
        () -> appraisal(true, ENROLMENT, Map.of("class", "box")), "audit.replay.device-not-active");
    // A rejection of the revoked device is what the log should show: no failure.
    assertThatCode(() -> appraisal(false, ENROLMENT, Map.of("class", "box")))
        .doesNotThrowAnyException();
  }

  @Test
  void aPendingDeviceIsActiveOnlyAfterItsActivation() throws Exception {
    logged(
        "device.enrolled",
        "device:edge-1",
        "pending",
        Map.of(
            "format",
            "dev",
            "identity",
            "id-1",
            "attributes",
            Map.of(),
            "enrolmentSha256",
            ENROLMENT));
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    assertRefused(() -> appraisal(true, ENROLMENT, Map.of()), "audit.replay.device-not-active");
    logged("device.activated", "device:edge-1", "ok", Map.of());
    assertThatCode(() -> appraisal(true, ENROLMENT, Map.of())).doesNotThrowAnyException();
  }

  @Test
  void aPartialAuditCountsWhatItCannotKnow() throws Exception {
    LoggedState partial = LoggedState.fromEntry(10);
    partial.accept(
        10,
        "attestation.appraised",
        "device:edge-1",
        "permit",
        appraisalDetail(ENROLMENT, Map.of()));
    assertThat(partial.unchecked()).isEqualTo(1);
  }

  @Test
  void aPolicyThatWasNeverActivatedIsNamed() throws Exception {
    enrolled(Map.of());
    assertRefused(() -> appraisal(true, ENROLMENT, Map.of()), "audit.replay.policy-not-logged");
  }

  @Test
  void rejectionsAreCheckedAgainstTheLoggedStateToo() throws Exception {
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    assertRefused(() -> appraisal(false, ENROLMENT, Map.of()), "audit.replay.device-not-logged");
    // An appraisal entry without details has nothing to check.
    assertThatCode(
            () -> state.accept(index++, "attestation.appraised", "device:edge-1", "permit", null))
        .doesNotThrowAnyException();
  }

  @Test
  void aRefusedEnrolmentEnrolsNothing() throws Exception {
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    logged(
        "device.enrolled",
        "device:edge-1",
        "refused",
        Map.of("format", "dev", "identity", "id-1", "attributes", Map.of()));
    assertRefused(() -> appraisal(true, ENROLMENT, Map.of()), "audit.replay.device-not-logged");
  }

  @Test
  void anEnrolmentLoggedWithoutItsDigestAcceptsTheRecordedOne() throws Exception {
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    logged(
        "device.enrolled",
        "device:edge-1",
        "ok",
        Map.of("format", "dev", "identity", "id-1", "attributes", Map.of()));
    assertThatCode(() -> appraisal(true, ENROLMENT, Map.of())).doesNotThrowAnyException();
  }

  @Test
  void changedAttributesKeepTheDeviceActive() throws Exception {
    enrolled(Map.of("class", "box"));
    logged("policy.activated", "policy:p@1", "ok", Map.of("digest", POLICY));
    logged("device.attributes", "device:edge-1", "ok", Map.of("attributes", Map.of("class", "x")));
    assertThatCode(() -> appraisal(true, ENROLMENT, Map.of("class", "x")))
        .doesNotThrowAnyException();
  }

  @Test
  void malformedStateEntriesAreNamed() {
    String malformed = "audit.replay.state-entry-malformed";
    assertRefused(() -> logged("device.revoked", "edge-1", "ok", Map.of()), malformed);
    assertRefused(
        () -> logged("device.enrolled", "device:edge-1", "ok", Map.of("identity", "id-1")),
        malformed);
    assertRefused(
        () ->
            logged(
                "device.enrolled",
                "device:edge-1",
                "ok",
                Map.of("format", 1, "identity", "id-1", "attributes", Map.of())),
        malformed);
    assertRefused(
        () -> logged("device.attributes", "device:edge-1", "ok", Map.of("attributes", "x")),
        malformed);
    assertRefused(() -> logged("device.attributes", "device:edge-1", "ok", Map.of()), malformed);
    assertRefused(
        () ->
            logged(
                "reference-values.added",
                "reference-values:boot@2",
                "ok",
                Map.of("format", "dev", "subject", "class:box")),
        malformed);
    assertRefused(
        () ->
            logged(
                "reference-values.added",
                "reference-values:boot@2",
                "ok",
                Map.of("format", "dev", "subject", "class:box", "measurements", "ab12")),
        malformed);
    assertRefused(
        () -> state.accept(index++, "policy.activated", "policy:p@1", "ok", null), malformed);
    for (String type : new String[] {"device.enrolled", "device.attributes"}) {
      assertRefused(() -> state.accept(index++, type, "device:edge-1", "ok", null), malformed);
    }
    assertRefused(
        () -> state.accept(index++, "reference-values.added", "reference-values:b@1", "ok", null),
        malformed);
  }

  private void enrolled(Map<String, String> attributes) throws Exception {
    logged(
        "device.enrolled",
        "device:edge-1",
        "ok",
        Map.of(
            "format",
            "dev",
            "identity",
            "id-1",
            "attributes",
            attributes,
            "enrolmentSha256",
            ENROLMENT));
  }

  private void addedSet() throws Exception {
    logged(
        "reference-values.added",
        "reference-values:boot@2",
        "ok",
        Map.of("format", "dev", "subject", "class:box", "measurements", SET.measurements()));
  }

  private void logged(String type, String subject, String outcome, Map<String, ?> detail)
      throws Exception {
    state.accept(index++, type, subject, outcome, JSON.valueToTree(detail));
  }

  private void appraisal(
      boolean permit, String enrolment, Map<String, String> attributes, ReferenceSet... sets)
      throws Exception {
    state.accept(
        index++,
        permit ? "attestation.appraised" : "attestation.rejected",
        "device:edge-1",
        permit ? "permit" : "attestation/device-revoked",
        appraisalDetail(enrolment, attributes, sets));
  }

  private static JsonNode appraisalDetail(
      String enrolment, Map<String, String> attributes, ReferenceSet... sets) {
    AppraisalRecord.Builder b =
        new AppraisalRecord.Builder("dev", NOW)
            .device(
                new AppraisalRecord.Device(
                    "edge-1", "dev", "id-1", enrolment, attributes, NOW.minusSeconds(60)))
            .referenceSets(List.of(sets))
            .policy(new AppraisalRecord.PolicyRef("p", 1, POLICY));
    return JSON.valueToTree(Map.of("replay", b.build().toJson()));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void assertRefused(Step step, String id) {
    assertThatThrownBy(step::run)
        .isInstanceOfSatisfying(ReplayException.class, e -> assertThat(e.id()).isEqualTo(id));
  }
}
