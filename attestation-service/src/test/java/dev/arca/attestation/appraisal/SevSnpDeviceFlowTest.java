// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestCollateral;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestRootFiles;
import dev.arca.evidence.Claims;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.sevsnp.SevSnpVerifier;
import dev.arca.evidence.sevsnp.TestSevSnpReports;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AMD SEV-SNP machines through the REST API: enrolment by chip id, the VCEK as uploaded collateral,
 * the real AMD-signed Milan report appraised, a fresh-nonce flow with test-signed reports, an
 * uploaded TCB baseline handed to the appraisal and recorded, a debug guest, another chip's report,
 * a chip whose VCEK was never uploaded, and enrolment refusals. Test-signed reports chain to a test
 * ARK that only the {@code %test} profile's {@code arca.formats.sev-snp.test-roots} pins (this
 * class writes it there); a service without that setting trusts AMD's ARKs alone, and the
 * verifier's own tests show another root refused.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class SevSnpDeviceFlowTest {
  /** Inside the real VCEK's validity. */
  private static final Instant VECTOR_TIME = Instant.parse("2024-01-01T00:00:00Z");

  private static final HexFormat HEX = HexFormat.of();
  private static TestSevSnpReports reports;
  private static boolean ready;

  @Inject TestClock clock;

  /** Pins this run's test ARK for the rest of the test JVM (later audits replay under it). */
  @BeforeAll
  static void pinTestRoot() {
    Instant now = Instant.now();
    reports = new TestSevSnpReports(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    TestRootFiles.pin("sev-snp", "sev-snp-test-root", reports.root());
  }

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.activatePolicyAndPublish("snp-model");
    TestCollateral.upload("sev-snp", "cert_chain.pem", reports.askArkPem());
  }

  /** A chip id of its own per test (the real vector's is used only for the real report). */
  private static byte[] newChip() {
    byte[] chip = new byte[64];
    new SecureRandom().nextBytes(chip);
    return chip;
  }

  private static byte[] measurement(int b) {
    byte[] m = new byte[48];
    Arrays.fill(m, (byte) b);
    return m;
  }

  /** A device enrolled by {@code chip}, whose VCEK is uploaded when {@code withVcek}. */
  private static HardwareDevice enrolled(String id, byte[] chip, boolean withVcek) {
    if (withVcek) {
      TestCollateral.upload("sev-snp", "vcek.der", reports.vcekDer(chip));
    }
    HardwareDevice d = new HardwareDevice(id, "sev-snp");
    d.enrol(Map.of("chipId", HEX.formatHex(chip)), Map.of("class", "cvm"))
        .statusCode(201)
        .body("identity", equalTo("sev-snp:" + HEX.formatHex(chip)))
        .body("enrolment.chipId", equalTo(HEX.formatHex(chip)));
    return d;
  }

  private static ValidatableResponse attest(
      HardwareDevice d, byte[] chip, boolean debug, int measurement) {
    byte[] nonce = d.challenge();
    byte[] report =
        reports.report(
            chip, Arrays.copyOf(d.reportData(nonce), 64), debug, measurement(measurement));
    return d.attest("sev-snp", nonce, report, List.of(model("snp-model", "synthetic")));
  }

  @Test
  void aTestSignedReportForAFreshNonceEarnsAGrant() {
    byte[] chip = newChip();
    HardwareDevice d = enrolled("snp-edge-1", chip, true);
    // The launch measurement must be pinned: without a set the machine is refused.
    Refusals.refused(attest(d, chip, false, 0x11), 403, "attestation/reference-missing", d.id);
    d.references(
        "snp-edge-1-launch", Map.of("measurement", List.of(HEX.formatHex(measurement(0x11)))));
    long sequence =
        attest(d, chip, false, 0x11)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .body("grants[0].modelId", equalTo("snp-model"))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    JsonNode entry = Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
    // The VCEK it was verified with is recorded by digest, so a replay uses the same one.
    assertThat(entry.at("/facts/detail/replay/collateral").has("vcek.der")).isTrue();
    // Another launch measurement than the pinned one is refused.
    Refusals.refused(attest(d, chip, false, 0x22), 403, "attestation/reference-mismatch", d.id);
  }

  @Test
  void anUploadedTcbBaselineIsHandedToTheAppraisalAndRecorded() throws Exception {
    // At the test reports' TCB: they stay permitted, whatever order this class's tests run in.
    byte[] baseline = TestCollateral.milanTcbBaseline();
    TestCollateral.upload("sev-snp", "snp_tcb_baseline.json", baseline);
    byte[] chip = newChip();
    HardwareDevice d = enrolled("snp-baseline", chip, true);
    d.references(
        "snp-baseline-launch", Map.of("measurement", List.of(HEX.formatHex(measurement(0x33)))));
    long sequence =
        attest(d, chip, false, 0x33)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    JsonNode entry = Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
    JsonNode replay = entry.at("/facts/detail/replay");
    assertThat(replay.at("/collateral/snp_tcb_baseline.json").asText())
        .isEqualTo(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(baseline)));
    // The recorded inputs (kept blobs, by digest) verify again, at the recorded time, to an up to
    // date TCB: what the policy was given as evidence.tcbStatus.
    VerificationContext.Builder context =
        VerificationContext.insecureWithoutBinding(Instant.parse(replay.get("verifiedAt").asText()))
            .trustAnchor(reports.root());
    for (Map.Entry<String, JsonNode> f : replay.get("collateral").properties()) {
      context.collateral(f.getKey(), kept(f.getValue().asText()));
    }
    Claims claims =
        new SevSnpVerifier().verify(kept(replay.get("evidenceSha256").asText()), context.build());
    assertThat(claims.tcb())
        .containsEntry("tcbStatus", "UpToDate")
        .containsEntry("tcbBaseline", "TCB of the test reports")
        .doesNotContainKey("tcbBelowBaseline");
    assertThat(claims.insecureFlags()).isEmpty();
  }

  /** A blob the audit log keeps, by its SHA-256, as the auditor reads it. */
  private static byte[] kept(String sha256) {
    return Api.as("auditor")
        .get("/v1/audit/evidence/" + sha256)
        .then()
        .statusCode(200)
        .extract()
        .asByteArray();
  }

  @Test
  void aDebugGuestIsRefused() {
    byte[] chip = newChip();
    HardwareDevice d = enrolled("snp-debug", chip, true);
    Refusals.refused(attest(d, chip, true, 0x11), 403, "attestation/debug-evidence", d.id);
  }

  @Test
  void anotherChipsReportIsRefused() {
    byte[] other = newChip();
    TestCollateral.upload("sev-snp", "vcek.der", reports.vcekDer(other));
    HardwareDevice d = enrolled("snp-other-chip", newChip(), true);
    ValidatableResponse r =
        attest(d, other, false, 0x11)
            .body("failures.id", equalTo(List.of("appraisal.identity-not-enrolled")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void aChipWhoseVcekWasNeverUploadedIsRefusedNamingTheMissingCollateral() {
    byte[] chip = newChip();
    HardwareDevice d = enrolled("snp-no-vcek", chip, false);
    ValidatableResponse r =
        attest(d, chip, false, 0x11).body("failures.id", equalTo(List.of("sevsnp.vcek.missing")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void anotherFormatsEvidenceIsRefused() {
    byte[] chip = newChip();
    HardwareDevice d = enrolled("snp-says-tdx", chip, true);
    byte[] nonce = d.challenge();
    byte[] report =
        reports.report(chip, Arrays.copyOf(d.reportData(nonce), 64), false, measurement(0x11));
    ValidatableResponse r =
        d.attest("tdx", nonce, report, List.of(model("snp-model", "synthetic")))
            .body("failures.id", equalTo(List.of("appraisal.format-not-enrolled")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void theRealAmdReportFullyVerifiesAndIsRefusedOnlyForItsBinding() throws Exception {
    TestCollateral.upload("sev-snp", "vcek_milan.der", resource("vcek_milan.der"));
    HardwareDevice d = enrolled("snp-amd-vector", TestSevSnpReports.vectorChipId(), false);
    // A captured report cannot bind this service's fresh nonce (it binds 01 02 03 04 05): with
    // the clock inside its VCEK's validity, its chain, signature and TCB verify, and only its
    // binding fails.
    clock.advance(Duration.between(Instant.now(), VECTOR_TIME));
    ValidatableResponse r;
    try {
      byte[] nonce = d.challenge();
      r =
          d.attest(
              "sev-snp",
              nonce,
              resource("attestation.bin"),
              List.of(model("snp-model", "synthetic")));
      r.body("failures.id", equalTo(List.of("sevsnp.report-data.mismatch")));
    } finally {
      clock.reset();
    }
    Refusals.refused(r, 403, "attestation/report-data-unbound", d.id);
  }

  @Test
  void enrolmentWithoutAUsableChipIdIsRefused() {
    HardwareDevice d = new HardwareDevice("snp-bad-enrolment", "sev-snp");
    for (Map<String, String> bad :
        List.of(
            Map.of("chipId", "abcd"),
            Map.of("chipId", "zz".repeat(64)),
            Map.of("chipId", "00".repeat(64)),
            Map.<String, String>of())) {
      d.enrol(bad, Map.of())
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:invalid-request"));
    }
    List<JsonNode> audited = AuditLines.about("device:" + d.id);
    assertThat(AuditLines.outcomes(audited)).contains("invalid-request");
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in =
        SevSnpDeviceFlowTest.class.getResourceAsStream("/vectors/sev-snp/" + name)) {
      return in.readAllBytes();
    }
  }
}
