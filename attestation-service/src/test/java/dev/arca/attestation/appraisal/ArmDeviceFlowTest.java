// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.ArmTokens;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.AuditorReplay;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestModels;
import dev.arca.evidence.EvidenceFiles;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.TestCoseSigner;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Arm PSA and CCA devices through the REST API: enrolment pinning the attestation key (PSA IAK, CCA
 * platform key and instance id), the real vectors appraised, fresh-nonce flows with test-signed
 * tokens (permit, and the audit replay re-deciding it), debug lifecycles, enrolment refusals and
 * another format's evidence for an enrolled device.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ArmDeviceFlowTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String CCA_VECTOR_INSTANCE =
      "0107060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a1918";
  private static boolean ready;

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.activatePolicyAndPublish("arm-model");
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = ArmDeviceFlowTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    }
  }

  private static String spki(String pemResource) throws Exception {
    PublicKey k =
        EvidenceFiles.publicKey(
            new String(resource(pemResource), StandardCharsets.US_ASCII), Path.of(pemResource));
    return DevDevice.b64(k.getEncoded());
  }

  private static byte[] filled(int n, int b) {
    byte[] v = new byte[n];
    Arrays.fill(v, (byte) b);
    return v;
  }

  private static List<Map<String, Object>> models() {
    return List.of(model("arm-model", "synthetic"));
  }

  private static HardwareDevice psaDevice(String id, KeyPair iak) throws Exception {
    HardwareDevice d = new HardwareDevice(id, "psa");
    d.enrol(Map.of("iakPublicKey", DevDevice.b64(iak.getPublic().getEncoded())), Map.of())
        .statusCode(201)
        .body("identity", equalTo(HEX.formatHex(ArmTokens.psaInstanceId(iak))));
    return d;
  }

  private static ValidatableResponse attestPsa(HardwareDevice d, KeyPair iak, int lifecycle)
      throws Exception {
    byte[] nonce = d.challenge();
    return d.attest(
        "psa",
        nonce,
        ArmTokens.psa(iak, lifecycle, d.reportData(nonce), filled(32, 0x11)),
        models());
  }

  private static HardwareDevice ccaDevice(String id, KeyPair platform, byte[] instanceId)
      throws Exception {
    HardwareDevice d = new HardwareDevice(id, "cca");
    d.enrol(
            Map.of(
                "platformPublicKey",
                DevDevice.b64(platform.getPublic().getEncoded()),
                "instanceId",
                HEX.formatHex(instanceId)),
            Map.of())
        .statusCode(201)
        .body("identity", equalTo(HEX.formatHex(instanceId)));
    return d;
  }

  private static ValidatableResponse attestCca(
      HardwareDevice d, KeyPair platform, byte[] instanceId, int lifecycle) throws Exception {
    byte[] nonce = d.challenge();
    return d.attest(
        "cca",
        nonce,
        ArmTokens.cca(platform, instanceId, lifecycle, d.reportData(nonce), filled(32, 0x22)),
        models());
  }

  private static byte[] newInstanceId() {
    byte[] id = new byte[33];
    new SecureRandom().nextBytes(id);
    id[0] = 0x01;
    return id;
  }

  @Test
  void aPsaTokenForAFreshNonceEarnsAGrantAndTheDecisionReplays() throws Exception {
    KeyPair iak = TestCoseSigner.generate(CoseAlgorithm.ES256);
    HardwareDevice d = psaDevice("psa-edge-1", iak);
    // A hardware format needs a reference-value set that applies to the device.
    Refusals.refused(
        attestPsa(d, iak, ArmTokens.SECURED), 403, "attestation/reference-missing", d.id);
    d.references("psa-edge-1-firmware", Map.of("BL", List.of("11".repeat(32))));
    long sequence =
        attestPsa(d, iak, ArmTokens.SECURED)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .body("grants[0].modelId", equalTo("arm-model"))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    JsonNode entry = Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
    // The auditor's replay (arca audit verify) appraises the kept token again against the
    // enrolment the entry records and re-decides the grant.
    AppraisalReplay replay = AuditorReplay.builtin();
    assertThat(replay.replay("attestation.appraised", "permit", entry.at("/facts/detail")))
        .isEqualTo(AppraisalReplay.Depth.DECISION);
  }

  @Test
  void aPsaDebugLifecycleIsRefused() throws Exception {
    KeyPair iak = TestCoseSigner.generate(CoseAlgorithm.ES256);
    HardwareDevice d = psaDevice("psa-debug", iak);
    Refusals.refused(attestPsa(d, iak, ArmTokens.DEBUG), 403, "attestation/debug-evidence", d.id);
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefused() throws Exception {
    HardwareDevice d = psaDevice("psa-other-key", TestCoseSigner.generate(CoseAlgorithm.ES256));
    ValidatableResponse r =
        attestPsa(d, TestCoseSigner.generate(CoseAlgorithm.ES256), ArmTokens.SECURED)
            .body("failures.id", equalTo(List.of("psa.key.unknown")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void theRealPsaTokenFullyVerifiesAndIsRefusedOnlyForItsBinding() throws Exception {
    HardwareDevice d = new HardwareDevice("psa-tfm-vector", "psa");
    d.enrol(Map.of("iakPublicKey", spki("psa/public.pem")), Map.of()).statusCode(201);
    // A captured token cannot bind this service's fresh nonce: its signature under the enrolled
    // IAK and its claims verify, and only its binding fails.
    ValidatableResponse r =
        d.attest("psa", d.challenge(), resource("psa/psa-2_0_0_sign1.bin"), models())
            .body("failures.id", equalTo(List.of("psa.report-data.mismatch")));
    Refusals.refused(r, 403, "attestation/report-data-unbound", d.id);
  }

  @Test
  void psaEnrolmentWithoutAnEcKeyIsRefused() {
    HardwareDevice d = new HardwareDevice("psa-bad-enrolment", "psa");
    d.enrol(Map.of("iakPublicKey", Base64.getEncoder().encodeToString(new byte[32])), Map.of())
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    d.enrol(
            Map.of("iakPublicKey", DevDevice.b64(new byte[] {1}), "instanceIdHash", "md5"),
            Map.of())
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    assertThat(AuditLines.outcomes(AuditLines.about("device:" + d.id))).contains("invalid-request");
  }

  @Test
  void aCcaTokenForAFreshNonceEarnsAGrant() throws Exception {
    KeyPair platform = TestCoseSigner.generate(CoseAlgorithm.ES384);
    byte[] instanceId = newInstanceId();
    HardwareDevice d = ccaDevice("cca-realm-1", platform, instanceId);
    d.references("cca-realm-1-rim", Map.of("rim", List.of("22".repeat(32))));
    long sequence =
        attestCca(d, platform, instanceId, ArmTokens.SECURED)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
  }

  @Test
  void aCcaPlatformInDebugIsRefused() throws Exception {
    KeyPair platform = TestCoseSigner.generate(CoseAlgorithm.ES384);
    byte[] instanceId = newInstanceId();
    HardwareDevice d = ccaDevice("cca-debug", platform, instanceId);
    Refusals.refused(
        attestCca(d, platform, instanceId, ArmTokens.DEBUG),
        403,
        "attestation/debug-evidence",
        d.id);
  }

  @Test
  void aCcaDevicePresentingAPsaTokenIsRefused() throws Exception {
    KeyPair platform = TestCoseSigner.generate(CoseAlgorithm.ES384);
    HardwareDevice d = ccaDevice("cca-format-mix", platform, newInstanceId());
    byte[] nonce = d.challenge();
    ValidatableResponse r =
        d.attest(
                "psa",
                nonce,
                ArmTokens.psa(
                    TestCoseSigner.generate(CoseAlgorithm.ES256),
                    ArmTokens.SECURED,
                    d.reportData(nonce),
                    filled(32, 0x11)),
                models())
            .body("failures.id", equalTo(List.of("appraisal.format-not-enrolled")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void theRealCcaTokenFullyVerifiesAndIsRefusedOnlyForItsBinding() throws Exception {
    HardwareDevice d = new HardwareDevice("cca-vector", "cca");
    d.enrol(
            Map.of(
                "platformPublicKey",
                spki("cca/cca_platform.pub"),
                "instanceId",
                CCA_VECTOR_INSTANCE),
            Map.of())
        .statusCode(201)
        .body("identity", equalTo(CCA_VECTOR_INSTANCE));
    // A captured token cannot bind this service's fresh nonce: both tokens' signatures and their
    // binding to each other verify, and only the realm challenge fails.
    ValidatableResponse r =
        d.attest("cca", d.challenge(), resource("cca/cca_token.cbor"), models())
            .body("failures.id", equalTo(List.of("cca.report-data.mismatch")));
    Refusals.refused(r, 403, "attestation/report-data-unbound", d.id);
  }

  @Test
  void ccaEnrolmentWithoutAnInstanceIdIsRefused() throws Exception {
    HardwareDevice d = new HardwareDevice("cca-bad-enrolment", "cca");
    String key =
        DevDevice.b64(TestCoseSigner.generate(CoseAlgorithm.ES384).getPublic().getEncoded());
    d.enrol(Map.of("platformPublicKey", key, "instanceId", "not hex"), Map.of())
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    d.enrol(Map.of("platformPublicKey", key), Map.of())
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    assertThat(AuditLines.outcomes(AuditLines.about("device:" + d.id))).contains("invalid-request");
  }
}
