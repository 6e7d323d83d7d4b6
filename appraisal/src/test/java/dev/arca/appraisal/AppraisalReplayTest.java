// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoader;
import dev.arca.transparency.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays appraisals recorded the way the service records them, with the real {@code dev} attester
 * and verifier and the service's test policy, and checks that every kind of divergence is named.
 */
class AppraisalReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");

  private final Map<String, byte[]> blobs = new HashMap<>();
  private final DevAttester attester = DevAttester.generate();
  private final byte[] nonce = "nonce-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private final byte[] runtimeKey = new byte[32];
  private final byte[] log =
      (hex(ReportData.sha256().digest("runtime.jar".getBytes(StandardCharsets.UTF_8)))
              + " runtime.jar\n")
          .getBytes(StandardCharsets.UTF_8);
  private final byte[] logDigest = ReportData.sha256().digest(log);
  private final Appraiser appraiser = Appraiser.builtin();
  private String policyYaml;
  private Policy policy;
  private CompiledPolicy compiled;
  private byte[] evidence;
  // The usage key record() attests with, when a test sets one.
  private byte[] usageKey;

  @BeforeEach
  void setUp() throws Exception {
    runtimeKey[0] = 7;
    try (InputStream in = getClass().getResourceAsStream("/policies/service-test.yaml")) {
      policyYaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    policy = PolicyLoader.parse(policyYaml, "test");
    compiled = new ArcaPolicyEngine().compile(policyYaml, "test");
    evidence =
        attester.attest(
            ReportData.of(nonce, runtimeKey, logDigest), Map.of("runtime", "ab12cd34"), NOW);
  }

  /** Records an appraisal as the service does: the same appraiser, then a decision per class. */
  private AppraisalRecord.Builder record(byte[] evidenceBytes, String... dataClasses)
      throws Exception {
    ObjectNode stored =
        JSON.createObjectNode()
            .put("publicKey", Base64.getEncoder().encodeToString(attester.publicKey()));
    byte[] enrolment = CanonicalJson.canonicalize(stored);
    AppraisalRecord.Device device =
        new AppraisalRecord.Device(
            "edge-1",
            "dev",
            DevVerifier.deviceIdentity(attester.publicKey()),
            hex(ReportData.sha256().digest(enrolment)),
            Map.of("class", "box"),
            NOW.minusSeconds(3600));
    AppraisalRecord.Builder b =
        new AppraisalRecord.Builder("dev", NOW)
            .inputs(
                hex(ReportData.sha256().digest(evidenceBytes)),
                Base64.getEncoder().encodeToString(nonce),
                Base64.getEncoder().encodeToString(runtimeKey),
                hex(logDigest))
            .usageKey(usageKey == null ? null : Base64.getEncoder().encodeToString(usageKey))
            .keep(evidenceBytes)
            .keep(log)
            .device(device)
            .keep(enrolment)
            .policy(
                new AppraisalRecord.PolicyRef(policy.name(), policy.version(), policy.sha256()));
    Appraiser.Appraised appraised =
        appraiser.appraise(
            new Appraiser.Inputs("dev", evidenceBytes, nonce, runtimeKey, log)
                .withUsageKey(usageKey),
            new Appraiser.Enrolled(device, stored),
            List.of(),
            compiled,
            NOW,
            b);
    for (String dc : dataClasses) {
      appraiser.decide(
          compiled,
          appraised,
          device,
          new AppraisalRecord.Model("triage", 3, List.of("synthetic"), "publisher"),
          dc,
          "inference",
          NOW,
          b);
    }
    return b;
  }

  /** The same record, with the evidence replaced after the appraisal (what a rejection keeps). */
  private AppraisalRecord.Builder withEvidence(AppraisalRecord.Builder b, byte[] other) {
    AppraisalRecord r = b.build();
    return b.inputs(
            hex(ReportData.sha256().digest(other)),
            r.nonce(),
            r.runtimePublicKey(),
            r.measurementLogSha256())
        .keep(other);
  }

  private AppraisalReplay.Depth replay(String type, String outcome, AppraisalRecord.Builder b)
      throws ReplayException {
    for (byte[] blob : b.blobs()) {
      blobs.putIfAbsent(hex(ReportData.sha256().digest(blob)), blob);
    }
    blobs.putIfAbsent(policy.sha256(), policyYaml.getBytes(StandardCharsets.UTF_8));
    return replayOnly(type, outcome, detail(b.build()));
  }

  private AppraisalReplay.Depth replayOnly(String type, String outcome, JsonNode detail)
      throws ReplayException {
    return new AppraisalReplay(
            hex -> {
              byte[] b = blobs.get(hex);
              if (b == null) {
                throw new IOException("404");
              }
              return b;
            })
        .replay(type, outcome, detail);
  }

  private static ObjectNode detail(AppraisalRecord r) {
    ObjectNode d = JSON.createObjectNode();
    d.set("replay", JSON.valueToTree(r.toJson()));
    return d;
  }

  @Test
  void aRecordedPermitReplaysEvidenceAndEveryDecision() throws Exception {
    AppraisalRecord.Builder b = record(evidence, "synthetic", "phi");
    assertThat(b.build().decisions())
        .extracting(AppraisalRecord.ModelDecision::permitted)
        .containsExactly(true, false);
    assertThat(replay("attestation.appraised", "permit", b))
        .isEqualTo(AppraisalReplay.Depth.DECISION);
    // The record survives its JSON form unchanged.
    assertThat(AppraisalRecord.fromJson(detail(b.build()).get("replay"))).isEqualTo(b.build());
  }

  @Test
  void aPolicyDenialReplaysAsADenial() throws Exception {
    assertThat(replay("attestation.rejected", "attestation/policy-denied", record(evidence, "phi")))
        .isEqualTo(AppraisalReplay.Depth.DECISION);
  }

  @Test
  void aDecisionThatDiffersIsNamed() throws Exception {
    AppraisalRecord r = record(evidence, "phi").build();
    AppraisalRecord.ModelDecision d = r.decisions().get(0);
    AppraisalRecord.Builder forged = record(evidence);
    forged.decision(
        new AppraisalRecord.ModelDecision(
            d.model(),
            "phi",
            "inference",
            true,
            List.of("synthetic-on-any-enrolled-device"),
            "permitted"));
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", forged))
        .isInstanceOf(ReplayException.class)
        .hasFieldOrPropertyWithValue("id", "audit.replay.decision-differs")
        .hasMessageContaining("triage@3");
  }

  @Test
  void aReplacedBlobIsCaughtByItsDigest() throws Exception {
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    byte[] changed = evidence.clone();
    changed[changed.length / 2] ^= 1;
    blobs.put(hex(ReportData.sha256().digest(evidence)), changed);
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.blob-mismatch");
  }

  @Test
  void aMissingPolicyDocumentIsNamed() throws Exception {
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    blobs.put(policy.sha256(), "metadata: {}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.blob-mismatch");
  }

  @Test
  void anotherPolicyUnderTheRecordedNameIsRefused() throws Exception {
    String other = policyYaml.replace("version: 1", "version: 2");
    Policy v2 = PolicyLoader.parse(other, "v2");
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    b.policy(new AppraisalRecord.PolicyRef("service-test", 1, v2.sha256()));
    blobs.put(v2.sha256(), other.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.policy-differs");
  }

  @Test
  void wrongReportDataInputsMakeThePermitFail() throws Exception {
    AppraisalRecord good = record(evidence, "synthetic").build();
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    b.inputs(
        good.evidenceSha256(),
        Base64.getEncoder().encodeToString("another nonce".getBytes(UTF_8)),
        good.runtimePublicKey(),
        good.measurementLogSha256());
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.evidence-fails");
  }

  @Test
  void aRejectionOfBadEvidenceIsReproducedAndOneOfGoodEvidenceIsNot() throws Exception {
    byte[] unbound =
        attester.attest(new byte[32], Map.of("runtime", "ab12cd34"), NOW); // binds nothing
    AppraisalRecord.Builder b = withEvidence(record(evidence), unbound);
    assertThat(replay("attestation.rejected", "attestation/report-data-unbound", b))
        .isEqualTo(AppraisalReplay.Depth.EVIDENCE);
    assertThatThrownBy(
            () ->
                replay(
                    "attestation.rejected",
                    "attestation/evidence-invalid",
                    record(evidence, "synthetic")))
        .hasFieldOrPropertyWithValue("id", "audit.replay.rejection-not-reproduced");
  }

  @Test
  void theCollateralAnAppraisalUsedIsKeptAndReplayedWithIt() throws Exception {
    // The real AMD report binds 01 02 03 04 05, not this attestation's report data: with its VCEK
    // as collateral it fails on the binding alone; without the VCEK it could not be verified.
    byte[] report = resource("/vectors/sev-snp/attestation.bin");
    byte[] vcek = resource("/vectors/sev-snp/vcek_milan.der");
    Instant at = Instant.parse("2024-01-01T00:00:00Z");
    ObjectNode stored = JSON.createObjectNode().put("chipId", "00");
    byte[] enrolment = CanonicalJson.canonicalize(stored);
    String chip = hex(java.util.Arrays.copyOfRange(report, 0x1A0, 0x1E0));
    AppraisalRecord.Device device =
        new AppraisalRecord.Device(
            "snp-1",
            "sev-snp",
            "sev-snp:" + chip,
            hex(ReportData.sha256().digest(enrolment)),
            Map.of(),
            at.minusSeconds(60));
    AppraisalRecord.Builder b =
        new AppraisalRecord.Builder("sev-snp", at)
            .inputs(
                hex(ReportData.sha256().digest(report)),
                Base64.getEncoder().encodeToString(nonce),
                Base64.getEncoder().encodeToString(runtimeKey),
                hex(logDigest))
            .keep(report)
            .keep(log)
            .device(device)
            .keep(enrolment)
            .policy(
                new AppraisalRecord.PolicyRef(policy.name(), policy.version(), policy.sha256()));
    assertThatThrownBy(
            () ->
                appraiser.appraise(
                    new Appraiser.Inputs(
                        "sev-snp", report, nonce, runtimeKey, log, Map.of("vcek.der", vcek)),
                    new Appraiser.Enrolled(device, stored),
                    List.of(),
                    compiled,
                    at,
                    b))
        .hasFieldOrPropertyWithValue("rejection", Rejection.REPORT_DATA_UNBOUND);
    AppraisalRecord recorded = b.build();
    assertThat(recorded.collateral())
        .containsExactly(Map.entry("vcek.der", hex(ReportData.sha256().digest(vcek))));
    assertThat(replay("attestation.rejected", "attestation/report-data-unbound", b))
        .isEqualTo(AppraisalReplay.Depth.EVIDENCE);

    // An entry whose collateral was dropped no longer reproduces: the VCEK is missing.
    ObjectNode dropped = detail(recorded);
    ((ObjectNode) dropped.get("replay")).remove("collateral");
    assertThatThrownBy(
            () -> replayOnly("attestation.rejected", "attestation/report-data-unbound", dropped))
        .hasFieldOrPropertyWithValue("id", "audit.replay.rejection-differs")
        .hasMessageContaining("evidence-invalid");
    // And collateral swapped for other bytes is caught by its recorded digest.
    blobs.put(hex(ReportData.sha256().digest(vcek)), report);
    assertThatThrownBy(
            () ->
                replayOnly(
                    "attestation.rejected", "attestation/report-data-unbound", detail(recorded)))
        .hasMessageContaining("collateral vcek.der");
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AppraisalReplayTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aRejectionBeforeTheDeviceWasKnownIsOnlyRecorded() throws Exception {
    AppraisalRecord.Builder b = new AppraisalRecord.Builder("dev", NOW);
    assertThat(replay("attestation.rejected", "attestation/device-unknown", b))
        .isEqualTo(AppraisalReplay.Depth.RECORDED);
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.record-malformed");
  }

  @Test
  void anAppraisalWithoutARecordAndOtherEntries() throws Exception {
    assertThatThrownBy(() -> replayOnly("attestation.appraised", "permit", JSON.createObjectNode()))
        .hasFieldOrPropertyWithValue("id", "audit.replay.record-missing");
    assertThat(replayOnly("device.enrolled", "ok", JSON.createObjectNode()))
        .isEqualTo(AppraisalReplay.Depth.NONE);
  }

  /** Serves {@code b}'s blobs and the policy, as the service keeps them. */
  private void keep(AppraisalRecord.Builder b) {
    for (byte[] blob : b.blobs()) {
      blobs.putIfAbsent(hex(ReportData.sha256().digest(blob)), blob);
    }
    blobs.putIfAbsent(policy.sha256(), policyYaml.getBytes(StandardCharsets.UTF_8));
  }

  private AppraisalReplay replayer() {
    return new AppraisalReplay(
        hex -> {
          byte[] b = blobs.get(hex);
          if (b == null) {
            throw new IOException("404");
          }
          return b;
        });
  }

  @Test
  void theRecordedStatusMustBeReproduced() throws Exception {
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    b.appraisal(new AppraisalStatus("affirming", Map.of("executables", 2)));
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.status-differs");
    b.appraisal(null);
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.record-malformed");
  }

  @Test
  void aUsageKeyTheReportDataBindsReplaysOnlyAsRecorded() throws Exception {
    usageKey = new byte[32];
    usageKey[0] = 9;
    byte[] bound =
        attester.attest(
            ReportData.of(nonce, runtimeKey, logDigest, usageKey),
            Map.of("runtime", "ab12cd34"),
            NOW);
    AppraisalRecord.Builder b = record(bound, "synthetic");
    assertThat(b.build().usageKey()).isEqualTo(Base64.getEncoder().encodeToString(usageKey));
    assertThat(AppraisalRecord.fromJson(detail(b.build()).get("replay"))).isEqualTo(b.build());
    assertThat(replay("attestation.appraised", "permit", b))
        .isEqualTo(AppraisalReplay.Depth.DECISION);

    // A record that names another usage key, or none, no longer matches the evidence.
    b.usageKey(Base64.getEncoder().encodeToString(new byte[32]));
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.evidence-fails");
    b.usageKey(null);
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.evidence-fails");
  }

  @Test
  void everyReportDataInputMustBeRecorded() throws Exception {
    AppraisalRecord r = record(evidence, "synthetic").build();
    String[][] missingOne = {
      {null, r.runtimePublicKey(), r.measurementLogSha256()},
      {r.nonce(), null, r.measurementLogSha256()},
      {r.nonce(), r.runtimePublicKey(), null},
    };
    for (String[] m : missingOne) {
      AppraisalRecord.Builder b = record(evidence, "synthetic");
      b.inputs(r.evidenceSha256(), m[0], m[1], m[2]);
      assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
          .hasFieldOrPropertyWithValue("id", "audit.replay.record-malformed")
          .hasMessageContaining("report-data inputs");
    }
  }

  @Test
  void aRejectionReproducedForAnotherReasonIsNamed() throws Exception {
    byte[] unbound = attester.attest(new byte[32], Map.of("runtime", "ab12cd34"), NOW);
    AppraisalRecord.Builder b = withEvidence(record(evidence), unbound);
    assertThatThrownBy(() -> replay("attestation.rejected", "attestation/evidence-invalid", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.rejection-differs")
        .hasMessageContaining("attestation/report-data-unbound");
  }

  @Test
  void recordedVerifierFailuresMustBeTheReplaysFailures() throws Exception {
    byte[] unbound = attester.attest(new byte[32], Map.of("runtime", "ab12cd34"), NOW);
    AppraisalRecord.Builder b = withEvidence(record(evidence), unbound);
    keep(b);
    ObjectNode same = detail(b.build());
    same.putArray("failures").addObject().put("id", "dev.report-data.mismatch");
    assertThat(replayer().replay("attestation.rejected", "attestation/report-data-unbound", same))
        .isEqualTo(AppraisalReplay.Depth.EVIDENCE);
    ObjectNode other = detail(b.build());
    other.putArray("failures").addObject().put("id", "dev.signature.invalid");
    assertThatThrownBy(
            () ->
                replayer().replay("attestation.rejected", "attestation/report-data-unbound", other))
        .hasFieldOrPropertyWithValue("id", "audit.replay.rejection-differs")
        .hasMessageContaining("[dev.signature.invalid]")
        .hasMessageContaining("[dev.report-data.mismatch]");
  }

  @Test
  void aPermitThatFailsNowNamesTheVerifierFailures() throws Exception {
    AppraisalRecord good = record(evidence, "synthetic").build();
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    b.inputs(
        good.evidenceSha256(),
        Base64.getEncoder().encodeToString("another nonce".getBytes(StandardCharsets.UTF_8)),
        good.runtimePublicKey(),
        good.measurementLogSha256());
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", b))
        .hasMessageContaining("dev.report-data.mismatch");
  }

  @Test
  void theVerdictOfTheEntryMustMatchItsDecisions() throws Exception {
    // Recorded as a permit, but its only decision is a denial.
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", record(evidence, "phi")))
        .hasFieldOrPropertyWithValue("id", "audit.replay.decision-differs")
        .hasMessageContaining("no recorded decision permits");
    // Recorded as a policy denial, but a decision permits.
    assertThatThrownBy(
            () ->
                replay(
                    "attestation.rejected",
                    "attestation/policy-denied",
                    record(evidence, "synthetic")))
        .hasFieldOrPropertyWithValue("id", "audit.replay.decision-differs")
        .hasMessageContaining("a recorded decision permits");
  }

  @Test
  void aDecisionByOtherRulesDiffersEvenWithTheSameVerdict() throws Exception {
    AppraisalRecord.ModelDecision d = record(evidence, "synthetic").build().decisions().get(0);
    AppraisalRecord.Builder forged = record(evidence);
    forged.decision(
        new AppraisalRecord.ModelDecision(
            d.model(), d.dataClass(), d.purpose(), true, List.of("some-other-rule"), d.reason()));
    assertThatThrownBy(() -> replay("attestation.appraised", "permit", forged))
        .hasFieldOrPropertyWithValue("id", "audit.replay.decision-differs")
        .hasMessageContaining("recorded permit by [some-other-rule] (permitted)")
        .hasMessageContaining("replay gives permit by [synthetic-on-any-enrolled-device]");
  }

  @Test
  void aRefusalAfterTheAppraisalNeedsOnlyTheAppraisalToPass() throws Exception {
    // E.g. the runtime key would not wrap: the entry is a rejection the appraiser never made,
    // so its decisions are not replayed, but the appraisal must still pass.
    assertThat(
            replay(
                "attestation.rejected",
                "attestation/runtime-key-unusable",
                record(evidence, "synthetic")))
        .isEqualTo(AppraisalReplay.Depth.EVIDENCE);
    AppraisalRecord good = record(evidence, "synthetic").build();
    AppraisalRecord.Builder b = record(evidence, "synthetic");
    b.inputs(
        good.evidenceSha256(),
        Base64.getEncoder().encodeToString("another nonce".getBytes(StandardCharsets.UTF_8)),
        good.runtimePublicKey(),
        good.measurementLogSha256());
    assertThatThrownBy(() -> replay("attestation.rejected", "attestation/runtime-key-unusable", b))
        .hasFieldOrPropertyWithValue("id", "audit.replay.evidence-fails")
        .hasMessageContaining("recorded as attestation/runtime-key-unusable");
  }

  @Test
  void anEntryWithoutDetailHasNothingToReplay() {
    assertThatThrownBy(() -> replayOnly("attestation.appraised", "permit", null))
        .hasFieldOrPropertyWithValue("id", "audit.replay.record-missing");
  }

  @Test
  void recordedInputsAreTheDecisionsOfAnAppraisalThatStillPasses() throws Exception {
    AppraisalRecord.Builder b = record(evidence, "synthetic", "phi");
    keep(b);
    List<AppraisalReplay.RecordedInput> in =
        replayer().recordedInputs("attestation.appraised", detail(b.build()));
    assertThat(in).hasSize(2);
    assertThat(in).extracting(i -> i.input().dataClass()).containsExactly("synthetic", "phi");
    assertThat(in.get(0).decision()).isEqualTo(b.build().decisions().get(0));
    assertThat(in.get(0).input().model().id()).isEqualTo("triage");
    assertThat(in.get(0).input().time()).isEqualTo(NOW);

    assertThat(replayer().recordedInputs("device.enrolled", detail(b.build()))).isEmpty();
    AppraisalRecord.Builder none = record(evidence);
    keep(none);
    assertThat(replayer().recordedInputs("attestation.rejected", detail(none.build()))).isEmpty();
    byte[] unbound = attester.attest(new byte[32], Map.of("runtime", "ab12cd34"), NOW);
    AppraisalRecord.Builder refused = withEvidence(record(evidence, "synthetic"), unbound);
    keep(refused);
    assertThat(replayer().recordedInputs("attestation.rejected", detail(refused.build())))
        .isEmpty();
    AppraisalRecord.Builder unknownDevice = new AppraisalRecord.Builder("dev", NOW);
    assertThat(replayer().recordedInputs("attestation.rejected", detail(unknownDevice.build())))
        .isEmpty();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
