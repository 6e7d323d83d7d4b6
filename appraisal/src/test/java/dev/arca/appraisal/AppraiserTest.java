// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.evidence.tpm2.Tpm2Verifier;
import dev.arca.policy.TcbStatus;
import dev.arca.transparency.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The appraisal core's rules, each attacked the way a device or a device-admin would: evidence
 * outside every reference set, sets that leave the boot PCRs unpinned, a quote that leaves PCRs
 * out, a measurement log that does not replay, evidence bound to another nonce. Real evidence
 * throughout: the {@code dev} attester and verifier, and the GCP Shielded VM TPM quote.
 */
class AppraiserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");
  private static final HexFormat HEX = HexFormat.of();

  private final DevAttester attester = DevAttester.generate();
  private final byte[] nonce = "nonce-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private final byte[] runtimeKey = new byte[32];
  private final byte[] log = logOf("runtime.jar");
  private final Map<String, byte[]> blobs = new HashMap<>();
  private String policyYaml;
  private CompiledPolicy policy;

  /**
   * {@code dev} evidence appraised as a hardware format that requires register {@code runtime} to
   * be pinned: the reference-value rules of every hardware format, on real evidence.
   */
  private final Appraiser hardwareDev =
      new Appraiser(BuiltinFormats.registry(), List.of(new PinnedProfile("dev", "runtime")));

  @BeforeEach
  void setUp() throws Exception {
    runtimeKey[0] = 7;
    try (InputStream in = getClass().getResourceAsStream("/policies/service-test.yaml")) {
      policyYaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    policy = new ArcaPolicyEngine().compile(policyYaml, "test");
  }

  @Test
  void aHardwareDeviceOutsideEveryReferenceSetIsRefused() {
    AppraisalRecord.Builder record = record();
    AppraisalException e =
        refused(
            () -> appraise(hardwareDev, evidence(), List.of(), policy, record),
            Rejection.REFERENCE_MISSING);
    assertThat(e.getMessage()).contains("withoutReferenceValues");
    assertThat(record.build().referenceSets()).isEmpty();
  }

  @Test
  void onlyAnExplicitPolicyLetsAHardwareFormatGoWithoutReferenceValues() throws Exception {
    CompiledPolicy lenient =
        new ArcaPolicyEngine()
            .compile(
                policyYaml.replace(
                    "rules:", "appraisal:\n  withoutReferenceValues: [tpm2]\nrules:"),
                "lenient");
    assertThat(lenient.allowsWithoutReferenceValues("tpm2")).isTrue();
    assertThat(lenient.allowsWithoutReferenceValues("sev-snp")).isFalse();
    assertThat(policy.allowsWithoutReferenceValues("tpm2")).isFalse();
    Tpm2Profile tpm2 = new Tpm2Profile();
    Appraiser.requireReferences(tpm2, List.of(), lenient);
    assertThatThrownBy(() -> Appraiser.requireReferences(tpm2, List.of(), policy))
        .hasFieldOrPropertyWithValue("rejection", Rejection.REFERENCE_MISSING);
    // A policy cannot exempt the software attester's format: it needs no exemption.
    assertThatThrownBy(
            () ->
                new ArcaPolicyEngine()
                    .compile(
                        policyYaml.replace(
                            "rules:", "appraisal:\n  withoutReferenceValues: [dev]\nrules:"),
                        "bad"))
        .isInstanceOf(PolicyEngine.PolicyRejectedException.class);
  }

  @Test
  void setsThatLeaveARequiredRegisterUnpinnedAreRefused() {
    ReferenceSet other = set("other", Map.of("firmware", List.of("00")));
    AppraisalException e =
        refused(
            () -> appraise(hardwareDev, evidence(), List.of(other), policy, record()),
            Rejection.REFERENCE_MISSING);
    assertThat(e.details()).containsEntry("unpinned", List.of("runtime"));
  }

  @Test
  void aMeasurementOutsideTheSetIsAMismatch() {
    ReferenceSet pinned = set("box", Map.of("runtime", List.of("ffff")));
    AppraisalException e =
        refused(
            () -> appraise(hardwareDev, evidence(), List.of(pinned), policy, record()),
            Rejection.REFERENCE_MISMATCH);
    assertThat(e.details()).containsEntry("mismatches", List.of("reference.box.runtime"));
  }

  @Test
  void aMatchingSetAffirmsExecutablesAndIsKeptByContent() throws Exception {
    ReferenceSet pinned = set("box", Map.of("runtime", List.of("AB12CD34")));
    AppraisalRecord.Builder record = record();
    Appraiser.Appraised a = appraise(hardwareDev, evidence(), List.of(pinned), policy, record);
    assertThat(a.status().trustVector()).containsEntry("executables", 2);
    AppraisalRecord.ReferenceRef ref = record.build().referenceSets().get(0);
    assertThat(ref.toString()).isEqualTo("box@1");
    byte[] kept =
        record.blobs().stream()
            .filter(b -> HEX.formatHex(ReportData.sha256().digest(b)).equals(ref.sha256()))
            .findFirst()
            .orElseThrow();
    assertThat(ReferenceSet.fromJson(kept)).isEqualTo(pinned);
  }

  @Test
  void evidenceBoundToAnotherNonceIsUnboundWhateverTheFormatCallsIt() {
    byte[] other = attester.attest(new byte[32], Map.of("runtime", "ab12cd34"), NOW);
    AppraisalException e =
        refused(
            () -> appraise(Appraiser.builtin(), other, List.of(), policy, record()),
            Rejection.REPORT_DATA_UNBOUND);
    assertThat(e.details().get("failures").toString()).contains("dev.report-data.mismatch");
  }

  @Test
  void aRuntimeThatRecordedInsecureSettingsIsRefused() {
    byte[] insecure =
        (new String(log, StandardCharsets.UTF_8)
                + HEX.formatHex(new byte[32])
                + " insecure:jdwp-agent\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] ev = attester.attest(ReportData.ofLog(nonce, runtimeKey, insecure), Map.of(), NOW);
    assertThatThrownBy(
            () ->
                Appraiser.builtin()
                    .appraise(
                        new Appraiser.Inputs("dev", ev, nonce, runtimeKey, insecure),
                        enrolled(),
                        List.of(),
                        policy,
                        NOW,
                        record()))
        .hasFieldOrPropertyWithValue("rejection", Rejection.INSECURE_RUNTIME);
  }

  @Test
  void theGcpQuoteCoversNoSha256PcrSoItIsIncompleteForTpm2() throws Exception {
    Tpm2Verifier verifier = new Tpm2Verifier();
    Claims gcp =
        verifier.verify(
            verifier.readEvidence(Path.of("src/test/resources/vectors/tpm")),
            VerificationContext.insecureWithoutBinding(NOW).build()); // its nonce is empty
    AppraisalException e =
        refused(() -> new Tpm2Profile().check(gcp, new byte[0]), Rejection.EVIDENCE_INCOMPLETE);
    assertThat(e.details()).containsEntry("missingPcrs", List.of(0, 1, 2, 3, 4, 5, 6, 7, 23));
  }

  @Test
  void aTpm2QuoteMustCoverEveryBootPcrAndPcr23() {
    Map<Integer, byte[]> pcrs = bootPcrs(RuntimeMeasurements.replayedPcr(log).orElseThrow());
    pcrs.remove(4);
    assertThatThrownBy(() -> new Tpm2Profile().check(tpm2Claims(pcrs), log))
        .hasFieldOrPropertyWithValue("rejection", Rejection.EVIDENCE_INCOMPLETE)
        .hasMessageContaining("[4]");
  }

  @Test
  void pcr23MustBeTheReplayOfTheMeasurementLog() throws Exception {
    byte[] pcr23 = RuntimeMeasurements.replayedPcr(log).orElseThrow();
    new Tpm2Profile().check(tpm2Claims(bootPcrs(pcr23)), log);
    byte[] another = logOf("another-runtime.jar");
    assertThatThrownBy(() -> new Tpm2Profile().check(tpm2Claims(bootPcrs(pcr23)), another))
        .hasFieldOrPropertyWithValue("rejection", Rejection.MEASUREMENT_LOG_MISMATCH);
    byte[] malformed = "not a measurement\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new Tpm2Profile().check(tpm2Claims(bootPcrs(pcr23)), malformed))
        .hasFieldOrPropertyWithValue("rejection", Rejection.MEASUREMENT_LOG_MISMATCH)
        .hasMessageContaining("malformed");
  }

  @Test
  void tpm2NeedsItsBootPcrsPinnedByTheApplicableSets() {
    assertThat(Appraiser.builtin().profile("tpm2").requiredReferences())
        .containsExactlyInAnyOrder(
            "pcr.sha256.0",
            "pcr.sha256.1",
            "pcr.sha256.2",
            "pcr.sha256.3",
            "pcr.sha256.4",
            "pcr.sha256.5",
            "pcr.sha256.6",
            "pcr.sha256.7");
    assertThat(Appraiser.builtin().profile("nitro").requiredReferences())
        .containsExactlyInAnyOrder("PCR0", "PCR1", "PCR2");
    assertThat(Appraiser.builtin().profile("cca").requiredReferences()).containsExactly("rim");
    assertThat(Appraiser.builtin().profile("psa").hardware()).isTrue();
    assertThat(Appraiser.builtin().profile("psa").requiredReferences()).isEmpty();
    assertThat(Appraiser.builtin().profile("sev-snp").requiredReferences())
        .containsExactly("measurement");
    assertThat(Appraiser.builtin().profile("tdx").requiredReferences()).containsExactly("mrtd");
    assertThat(Appraiser.builtin().profile("some-future-format").hardware()).isTrue();
    assertThat(Appraiser.builtin().profile("dev").hardware()).isFalse();
  }

  @Test
  void theReplayReRunsReferenceMatching() throws Exception {
    ReferenceSet pinned = set("box", Map.of("runtime", List.of("ab12cd34")));
    AppraisalRecord.Builder mismatch = record();
    ReferenceSet wrong = set("box", Map.of("runtime", List.of("ffff")));
    assertThatThrownBy(() -> appraise(hardwareDev, evidence(), List.of(wrong), policy, mismatch))
        .hasFieldOrPropertyWithValue("rejection", Rejection.REFERENCE_MISMATCH);
    keep(mismatch);
    AppraisalReplay replay = replay(hardwareDev);
    assertThat(
            replay.replay(
                "attestation.rejected",
                Rejection.REFERENCE_MISMATCH.problemId(),
                detail(mismatch.build())))
        .isEqualTo(AppraisalReplay.Depth.EVIDENCE);
    // An entry that claims a permit against the same kept set is caught.
    assertThatThrownBy(
            () -> replay.replay("attestation.appraised", "permit", detail(mismatch.build())))
        .hasFieldOrPropertyWithValue("id", "audit.replay.evidence-fails")
        .hasMessageContaining(Rejection.REFERENCE_MISMATCH.problemId());
    AppraisalRecord.Builder ok = record();
    appraise(hardwareDev, evidence(), List.of(pinned), policy, ok);
    keep(ok);
    assertThatThrownBy(
            () ->
                replay.replay(
                    "attestation.rejected",
                    Rejection.REFERENCE_MISMATCH.problemId(),
                    detail(ok.build())))
        .hasFieldOrPropertyWithValue("id", "audit.replay.rejection-not-reproduced");
  }

  @Test
  void tcbStatusComesFromTheVerifiersReport() {
    assertThat(DecisionInputs.tcbStatus(withTcb("UpToDate"))).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(DecisionInputs.tcbStatus(withTcb("OutOfDate"))).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(DecisionInputs.tcbStatus(withTcb("OutOfDateConfigurationNeeded")))
        .isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(DecisionInputs.tcbStatus(withTcb("Revoked"))).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(DecisionInputs.tcbStatus(withTcb("TcbLevelNotFound"))).isEqualTo(TcbStatus.UNKNOWN);
    assertThat(DecisionInputs.tcbStatus(base("psa").build())).isEqualTo(TcbStatus.UNKNOWN);
  }

  @Test
  void onlyFormatsOfThisBuildAreKnown() {
    assertThat(Appraiser.builtin().knows("dev")).isTrue();
    assertThat(Appraiser.builtin().knows("tpm2")).isTrue();
    assertThat(Appraiser.builtin().knows("no-such-format")).isFalse();
    assertThatThrownBy(
            () ->
                Appraiser.builtin()
                    .appraise(
                        new Appraiser.Inputs("no-such-format", evidence(), nonce, runtimeKey, log),
                        enrolled(),
                        List.of(),
                        policy,
                        NOW,
                        record()))
        .hasFieldOrPropertyWithValue("rejection", Rejection.UNKNOWN_FORMAT);
  }

  @Test
  void evidenceOfAnotherFormatThanTheEnrolmentIsInvalid() {
    Appraiser.Enrolled tpm2Device =
        new Appraiser.Enrolled(
            new AppraisalRecord.Device(
                "edge-1", "tpm2", "tpm2:ak:00", "00", Map.of(), NOW.minusSeconds(60)),
            enrolment());
    AppraisalException e = refused(() -> appraiseAs(tpm2Device), Rejection.EVIDENCE_INVALID);
    assertThat(e.getMessage()).contains("enrolled with format tpm2");
  }

  @Test
  void anotherDevicesEvidenceFailsTheEnrolledKey() {
    DevAttester stranger = DevAttester.generate();
    byte[] ev =
        stranger.attest(ReportData.ofLog(nonce, runtimeKey, log), Map.of("runtime", "ab12"), NOW);
    AppraisalException e =
        refused(
            () -> appraise(Appraiser.builtin(), ev, List.of(), policy, record()),
            Rejection.EVIDENCE_INVALID);
    assertThat(e.details().get("failures").toString()).contains("dev.key.untrusted");
  }

  @Test
  void evidenceMustNameTheRecordedDeviceIdentity() {
    // The enrolled key verifies the evidence, but the device record names another identity.
    AppraisalRecord.Device recorded = enrolled().record();
    Appraiser.Enrolled mismatched =
        new Appraiser.Enrolled(
            new AppraisalRecord.Device(
                recorded.id(),
                recorded.format(),
                "dev:someone-else",
                recorded.enrolmentSha256(),
                recorded.attributes(),
                recorded.enrolledAt()),
            enrolment());
    AppraisalException e = refused(() -> appraiseAs(mismatched), Rejection.EVIDENCE_INVALID);
    assertThat(e.getMessage()).contains("another device");
  }

  @Test
  void theEnrolledKeyIsWhatMakesTheInstanceIdentityAffirming() throws Exception {
    Appraiser.Appraised a = appraise(Appraiser.builtin(), evidence(), List.of(), policy, record());
    assertThat(a.status().trustVector()).containsEntry("instance-identity", 2);
  }

  @Test
  void debugEvidenceIsRefusedEvenWhenItVerifies() {
    DevVerifier real = new DevVerifier();
    dev.arca.evidence.EvidenceVerifier debugDev =
        new dev.arca.evidence.EvidenceVerifier() {
          @Override
          public dev.arca.evidence.FormatDescriptor descriptor() {
            return real.descriptor();
          }

          @Override
          public Claims verify(byte[] evidence, VerificationContext context)
              throws dev.arca.evidence.EvidenceException {
            Claims c = real.verify(evidence, context);
            return Claims.builder("dev")
                .deviceIdentity(c.deviceIdentity())
                .securityLevel("software")
                .debug(true)
                .build();
          }
        };
    Appraiser appraiser =
        new Appraiser(
            new dev.arca.evidence.EvidenceRegistry(List.of(debugDev)),
            List.of(EvidenceProfile.software("dev")));
    assertThatThrownBy(() -> appraise(appraiser, evidence(), List.of(), policy, record()))
        .hasFieldOrPropertyWithValue("rejection", Rejection.DEBUG_EVIDENCE);
  }

  @Test
  void theFormatsProfileChecksTheClaims() {
    EvidenceProfile incomplete =
        new EvidenceProfile() {
          @Override
          public String format() {
            return "dev";
          }

          @Override
          public boolean hardware() {
            return false;
          }

          @Override
          public Set<String> requiredReferences() {
            return Set.of();
          }

          @Override
          public void check(Claims claims, byte[] measurementLog) throws AppraisalException {
            throw new AppraisalException(Rejection.EVIDENCE_INCOMPLETE, "always");
          }
        };
    Appraiser appraiser = new Appraiser(BuiltinFormats.registry(), List.of(incomplete));
    ReferenceSet pinned = set("box", Map.of("runtime", List.of("ab12cd34")));
    assertThatThrownBy(() -> appraise(appraiser, evidence(), List.of(pinned), policy, record()))
        .hasFieldOrPropertyWithValue("rejection", Rejection.EVIDENCE_INCOMPLETE);
  }

  @Test
  void refusalsNameTheReferenceSetsTheyUsed() {
    ReferenceSet other = set("other", Map.of("firmware", List.of("00")));
    assertThatThrownBy(() -> appraise(hardwareDev, evidence(), List.of(other), policy, record()))
        .isInstanceOfSatisfying(
            AppraisalException.class,
            e -> assertThat(e.details()).containsEntry("referenceSets", List.of("other@1")));
    ReferenceSet wrong = set("box", Map.of("runtime", List.of("ffff")));
    assertThatThrownBy(() -> appraise(hardwareDev, evidence(), List.of(wrong), policy, record()))
        .isInstanceOfSatisfying(
            AppraisalException.class,
            e -> assertThat(e.details()).containsEntry("referenceSets", List.of("box@1")));
  }

  // --- helpers

  @Test
  void evidenceInAnotherFormatThanTheEnrolledOneIsRefused() {
    Appraiser.Enrolled dev = enrolled();
    assertThatThrownBy(
            () ->
                Appraiser.builtin()
                    .appraise(
                        new Appraiser.Inputs("tpm2", evidence(), nonce, runtimeKey, log),
                        dev,
                        List.of(),
                        policy,
                        NOW,
                        record()))
        .satisfies(e -> assertRefusedBy(e, "appraisal.format-not-enrolled"));
  }

  @Test
  void evidenceThatVerifiesButNamesAnotherIdentityIsRefused() {
    // The enrolment's key verifies the evidence, but the device was enrolled under another
    // identity (a row whose identity and public material disagree).
    Appraiser.Enrolled mismatched =
        new Appraiser.Enrolled(
            new AppraisalRecord.Device(
                "edge-1",
                "dev",
                DevVerifier.deviceIdentity(DevAttester.generate().publicKey()),
                enrolled().record().enrolmentSha256(),
                Map.of("class", "box"),
                NOW.minusSeconds(3600)),
            enrolment());
    assertThatThrownBy(() -> appraiseAs(mismatched))
        .satisfies(e -> assertRefusedBy(e, "appraisal.identity-not-enrolled"));
  }

  @Test
  void anEnrolmentWithoutUsableKeyMaterialIsRefusedAsUnusable() {
    Appraiser.Enrolled broken =
        new Appraiser.Enrolled(enrolled().record(), JSON.createObjectNode());
    assertThatThrownBy(() -> appraiseAs(broken))
        .isInstanceOfSatisfying(
            AppraisalException.class,
            e -> assertThat(e.rejection()).isEqualTo(Rejection.ENROLMENT_UNUSABLE));
  }

  private static void assertRefusedBy(Throwable e, String checkId) {
    assertThat(e).isInstanceOf(AppraisalException.class);
    AppraisalException a = (AppraisalException) e;
    assertThat(a.rejection()).isEqualTo(Rejection.EVIDENCE_INVALID);
    assertThat(a.details().get("failures").toString()).contains("id=" + checkId);
  }

  private Appraiser.Appraised appraise(
      Appraiser appraiser,
      byte[] evidence,
      List<ReferenceSet> sets,
      CompiledPolicy p,
      AppraisalRecord.Builder record)
      throws AppraisalException {
    return appraiser.appraise(
        new Appraiser.Inputs("dev", evidence, nonce, runtimeKey, log),
        enrolled(),
        sets,
        p,
        NOW,
        record);
  }

  private byte[] evidence() {
    return attester.attest(
        ReportData.ofLog(nonce, runtimeKey, log), Map.of("runtime", "ab12cd34"), NOW);
  }

  private ObjectNode enrolment() {
    return JSON.createObjectNode()
        .put("publicKey", Base64.getEncoder().encodeToString(attester.publicKey()));
  }

  private Appraiser.Enrolled enrolled() {
    try {
      return new Appraiser.Enrolled(
          new AppraisalRecord.Device(
              "edge-1",
              "dev",
              DevVerifier.deviceIdentity(attester.publicKey()),
              HEX.formatHex(ReportData.sha256().digest(CanonicalJson.canonicalize(enrolment()))),
              Map.of("class", "box"),
              NOW.minusSeconds(3600)),
          enrolment());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A record as the service starts it: inputs, device and policy, each input kept. */
  private AppraisalRecord.Builder record() {
    byte[] ev = evidence();
    try {
      return new AppraisalRecord.Builder("dev", NOW)
          .inputs(
              HEX.formatHex(ReportData.sha256().digest(ev)),
              Base64.getEncoder().encodeToString(nonce),
              Base64.getEncoder().encodeToString(runtimeKey),
              HEX.formatHex(ReportData.sha256().digest(log)))
          .keep(ev)
          .keep(log)
          .device(enrolled().record())
          .keep(CanonicalJson.canonicalize(enrolment()))
          .policy(new AppraisalRecord.PolicyRef(policy.name(), policy.version(), policy.sha256()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void keep(AppraisalRecord.Builder record) {
    for (byte[] b : record.blobs()) {
      blobs.put(HEX.formatHex(ReportData.sha256().digest(b)), b);
    }
    blobs.put(policy.sha256(), policyYaml.getBytes(StandardCharsets.UTF_8));
  }

  private AppraisalReplay replay(Appraiser appraiser) {
    return new AppraisalReplay(
        hex -> {
          byte[] b = blobs.get(hex);
          if (b == null) {
            throw new IOException("404");
          }
          return b;
        },
        appraiser);
  }

  private static ObjectNode detail(AppraisalRecord r) {
    ObjectNode d = JSON.createObjectNode();
    d.set("replay", JSON.valueToTree(r.toJson()));
    return d;
  }

  private static ReferenceSet set(String name, Map<String, List<String>> values) {
    return new ReferenceSet(name, 1, "dev", "class:box", values);
  }

  private static byte[] logOf(String name) {
    return (HEX.formatHex(ReportData.sha256().digest(name.getBytes(StandardCharsets.UTF_8)))
            + " "
            + name
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Map<Integer, byte[]> bootPcrs(byte[] pcr23) {
    Map<Integer, byte[]> pcrs = new HashMap<>();
    for (int i = 0; i <= 7; i++) {
      pcrs.put(i, new byte[32]);
    }
    pcrs.put(23, pcr23);
    return pcrs;
  }

  /** Claims as Tpm2Verifier names a quote's SHA-256 PCRs (the profile's only input from it). */
  private static Claims tpm2Claims(Map<Integer, byte[]> pcrs) {
    Claims.Builder c = Claims.builder("tpm2").deviceIdentity("tpm2:ak:00").securityLevel("tpm");
    pcrs.forEach((pcr, v) -> c.measurement("pcr.sha256." + pcr, v));
    return c.build();
  }

  private static Claims.Builder base(String format) {
    return Claims.builder(format).deviceIdentity(format + ":x").securityLevel("tee");
  }

  private static Claims withTcb(String status) {
    return base("tdx").tcb("tcbStatus", status).build();
  }

  /** A hardware profile that requires the given registers to be pinned. */
  private record PinnedProfile(String format, String register) implements EvidenceProfile {
    @Override
    public boolean hardware() {
      return true;
    }

    @Override
    public Set<String> requiredReferences() {
      return Set.of(register);
    }

    @Override
    public void check(Claims claims, byte[] measurementLog) {}
  }

  /** The built-in appraiser on this test's genuine dev evidence, as enrolled {@code device}. */
  private Appraiser.Appraised appraiseAs(Appraiser.Enrolled device) throws AppraisalException {
    return Appraiser.builtin()
        .appraise(
            new Appraiser.Inputs("dev", evidence(), nonce, runtimeKey, log),
            device,
            List.of(),
            policy,
            NOW,
            record());
  }

  /** Asserts that {@code call} is refused with {@code expected}; returns the refusal. */
  private static AppraisalException refused(ThrowingCallable call, Rejection expected) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(AppraisalException.class);
    AppraisalException e = (AppraisalException) t;
    assertThat(e.rejection()).as(e.getMessage()).isEqualTo(expected);
    return e;
  }
}
