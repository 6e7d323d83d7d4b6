// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestRootFiles;
import dev.arca.evidence.nitro.TestNitroDocuments;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AWS Nitro Enclaves devices through the REST API: enrolment by module id, the real AWS-signed
 * vector appraised, a fresh-nonce flow with a test-signed document, a debug enclave, enrolment
 * refusals and another format's evidence. Test-signed documents chain to a test root that only the
 * {@code %test} profile's {@code arca.formats.nitro.test-roots} pins (this class writes it there);
 * a service without that setting trusts the AWS root alone, and the verifier's own tests show a
 * document from another root refused ({@code nitro.chain.untrusted-root}).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class NitroDeviceFlowTest {
  /** When the captured AWS document was made (its certificates are valid for hours around it). */
  private static final Instant VECTOR_TIME = Instant.parse("2024-09-07T14:37:39.545Z");

  private static final String VECTOR_MODULE = "i-0a22e5c5f24d22174-enc0191cceb4289903f";

  private static TestNitroDocuments docs;
  private static boolean ready;

  @Inject TestClock clock;

  /**
   * Pins this run's test root for the rest of the test JVM (the next run writes its own): the log
   * is shared, and later audits of it ({@code TransparencyLogTest}) replay these appraisals with
   * the service's trust, which must still include the root they were made under.
   */
  @BeforeAll
  static void pinTestRoot() throws Exception {
    Instant now = Instant.now();
    docs = new TestNitroDocuments(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    TestRootFiles.pin("nitro", "nitro-test-root", docs.root);
  }

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.activatePolicyAndPublish("nitro-model");
  }

  private static byte[] pcr(int b) {
    byte[] v = new byte[48];
    java.util.Arrays.fill(v, (byte) b);
    return v;
  }

  private static Map<Integer, byte[]> image(int b) {
    Map<Integer, byte[]> pcrs = new LinkedHashMap<>();
    pcrs.put(0, pcr(b));
    pcrs.put(1, pcr(b));
    pcrs.put(2, pcr(b));
    return pcrs;
  }

  private static HardwareDevice enrolled(String id, String moduleId) {
    HardwareDevice d = new HardwareDevice(id, "nitro");
    d.enrol(Map.of("moduleId", moduleId), Map.of("class", "enclave"))
        .statusCode(201)
        .body("identity", equalTo(moduleId))
        .body("enrolment.moduleId", equalTo(moduleId));
    return d;
  }

  private static ValidatableResponse attest(HardwareDevice d, String moduleId, int image)
      throws Exception {
    byte[] nonce = d.challenge();
    return d.attest(
        "nitro",
        nonce,
        docs.document(moduleId, image(image), d.reportData(nonce)),
        List.of(model("nitro-model", "synthetic")));
  }

  @Test
  void aTestSignedDocumentForAFreshNonceEarnsAGrant() throws Exception {
    HardwareDevice d = enrolled("nitro-edge-1", "i-test1-enc1");
    // PCR0-2 (the enclave image) must be pinned: without a set the device is refused.
    Refusals.refused(attest(d, "i-test1-enc1", 0x11), 403, "attestation/reference-missing", d.id);
    String h = HexFormat.of().formatHex(pcr(0x11));
    d.references(
        "nitro-edge-1-image", Map.of("PCR0", List.of(h), "PCR1", List.of(h), "PCR2", List.of(h)));
    long sequence =
        attest(d, "i-test1-enc1", 0x11)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .body("grants[0].modelId", equalTo("nitro-model"))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
    // Another image than the pinned one is refused.
    Refusals.refused(attest(d, "i-test1-enc1", 0x22), 403, "attestation/reference-mismatch", d.id);
  }

  @Test
  void aDebugEnclaveIsRefused() throws Exception {
    HardwareDevice d = enrolled("nitro-debug", "i-test2-enc2");
    Refusals.refused(attest(d, "i-test2-enc2", 0), 403, "attestation/debug-evidence", d.id);
  }

  @Test
  void anotherEnclavesDocumentIsRefused() throws Exception {
    HardwareDevice d = enrolled("nitro-other-enclave", "i-test3-enc3");
    ValidatableResponse r =
        attest(d, "i-test4-enc4", 0x11)
            .body("failures.id", equalTo(List.of("appraisal.identity-not-enrolled")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void theRealAwsDocumentFullyVerifiesAndIsRefusedOnlyForItsBinding() throws Exception {
    HardwareDevice d = enrolled("nitro-aws-vector", VECTOR_MODULE);
    byte[] vector;
    try (InputStream in = getClass().getResourceAsStream("/vectors/nitro/nitro_attestation.cbor")) {
      vector = in.readAllBytes();
    }
    // A captured document cannot bind this service's fresh nonce: with the clock at the time it
    // was made, its chain, signature and PCRs all verify and only its binding fails.
    clock.advance(Duration.between(Instant.now(), VECTOR_TIME));
    ValidatableResponse r;
    try {
      byte[] nonce = d.challenge();
      r = d.attest("nitro", nonce, vector, List.of(model("nitro-model", "synthetic")));
      r.body("failures.id", equalTo(List.of("nitro.report-data.mismatch")));
    } finally {
      clock.reset();
    }
    Refusals.refused(r, 403, "attestation/report-data-unbound", d.id);
  }

  @Test
  void enrolmentWithoutAUsableModuleIdIsRefused() {
    HardwareDevice d = new HardwareDevice("nitro-bad-enrolment", "nitro");
    d.enrol(Map.of("moduleId", "not a module id"), Map.of())
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    d.enrol(Map.of(), Map.of())
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    List<JsonNode> audited = AuditLines.about("device:" + d.id);
    assertThat(AuditLines.outcomes(audited)).contains("invalid-request");
  }
}
