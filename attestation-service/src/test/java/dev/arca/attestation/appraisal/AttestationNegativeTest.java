// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.evidence.ReportData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every way an attestation must fail: a specific problem type and the failing check, the audit
 * entry the refusal names ({@code auditSequence}) recording it (unless the nonce is not one this
 * service issued, or expired: then nothing is stored), and no key in the answer. Each test attests
 * with a device of its own, so no test's audit check is met by another's entry. Uses the real dev
 * attester, embedded PostgreSQL and Keycloak (for the admin set-up and the audit read-back).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttestationNegativeTest {

  @Inject TestClock clock;

  private boolean ready;

  /** Set-up through the API; REST Assured is only configured once a test runs. */
  @BeforeEach
  void enrol() {
    if (ready) {
      return;
    }
    ready = true;
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "format", "dev",
                "subject", "class:neg-box",
                "measurements", Map.of("runtime", List.of("ab12cd34"))))
        .post("/v1/reference-values/neg-refs")
        .then()
        .statusCode(201);
    TestModels.publish(TestModels.seal("neg-model", 1, List.of("synthetic", "phi"), 512))
        .then()
        .statusCode(201);
    TestPolicy.activate();
  }

  /** A device of one test's own, enrolled in the class the reference values cover. */
  private static DevDevice enrolled(String name) {
    DevDevice d = new DevDevice("neg-" + name);
    d.enrol(Map.of("class", "neg-box"));
    return d;
  }

  private static ValidatableResponse attest(Map<String, Object> body) {
    return given().contentType(ContentType.JSON).body(body).post("/v1/attestations").then();
  }

  private static void rejected(ValidatableResponse r, int status, String problem, String deviceId) {
    Refusals.refused(r, status, problem, deviceId);
  }

  @Test
  void replayedNonce() {
    DevDevice device = enrolled("replayed");
    byte[] nonce = DevDevice.challenge();
    Map<String, Object> body = device.request(nonce, List.of(model("neg-model", "synthetic")));
    // The first use is decided (here: permitted), and uses the nonce up.
    attest(body).statusCode(200);
    rejected(attest(body), 409, "attestation/nonce-replayed", device.id);
  }

  @Test
  void expiredNonce() {
    DevDevice device = enrolled("expired");
    byte[] nonce = DevDevice.challenge();
    clock.advance(Duration.ofSeconds(61));
    try {
      refusedUnlogged(
          () -> attest(device.request(nonce, List.of(model("neg-model", "synthetic")))),
          "attestation/nonce-expired",
          device.id);
    } finally {
      clock.reset();
    }
  }

  @Test
  void forgedNonce() {
    DevDevice device = enrolled("forged");
    byte[] nonce = DevDevice.challenge();
    nonce[20] ^= 1; // change the expiry: the MAC no longer matches
    refusedUnlogged(
        () -> attest(device.request(nonce, List.of(model("neg-model", "synthetic")))),
        "attestation/nonce-invalid",
        device.id);
  }

  /**
   * A nonce this service did not issue, or one that expired, is refused before anything is stored:
   * no key, and no audit entry (anyone could send such requests to grow the log).
   */
  private static void refusedUnlogged(
      Supplier<ValidatableResponse> attempt, String problem, String deviceId) {
    int entries = AuditLines.about("device:" + deviceId).size();
    attempt
        .get()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:" + problem))
        .body("auditSequence", nullValue())
        .body("grants", nullValue())
        .body("token", nullValue());
    assertThat(AuditLines.about("device:" + deviceId)).hasSize(entries);
  }

  @Test
  void reportDataNotBoundToRuntimeKey() {
    DevDevice device = enrolled("unbound");
    byte[] nonce = DevDevice.challenge();
    DevDevice other = new DevDevice(device.id);
    // Evidence binds another runtime key than the one sent.
    byte[] rd = ReportData.ofLog(nonce, other.runtimePublicKey(), device.measurementLog);
    byte[] evidence = device.attester.attest(rd, device.measurements, java.time.Instant.now());
    rejected(
        attest(device.request(nonce, evidence, List.of(model("neg-model", "synthetic")))),
        403,
        "attestation/report-data-unbound",
        device.id);
  }

  @Test
  void unknownDevice() {
    DevDevice stranger = new DevDevice("neg-stranger");
    rejected(
        attest(stranger.request(DevDevice.challenge(), List.of(model("neg-model", "synthetic")))),
        403,
        "attestation/device-unknown",
        stranger.id);
  }

  @Test
  void revokedDevice() {
    DevDevice d = new DevDevice("neg-revoked");
    d.enrol(Map.of("class", "neg-box"));
    Api.as("device-admin").post("/v1/devices/" + d.id + "/revoke").then().statusCode(200);
    rejected(
        attest(d.request(DevDevice.challenge(), List.of(model("neg-model", "synthetic")))),
        403,
        "attestation/device-revoked",
        d.id);
  }

  @Test
  void wrongReferenceValues() {
    DevDevice d = new DevDevice("neg-modified");
    d.enrol(Map.of("class", "neg-box"));
    d.measurements = Map.of("runtime", "ffff0000");
    ValidatableResponse r =
        attest(d.request(DevDevice.challenge(), List.of(model("neg-model", "synthetic"))));
    rejected(r, 403, "attestation/reference-mismatch", d.id);
    r.body("mismatches", hasItem("reference.neg-refs.runtime"));
  }

  @Test
  void tamperedEvidence() {
    DevDevice device = enrolled("tampered");
    byte[] nonce = DevDevice.challenge();
    byte[] rd = ReportData.ofLog(nonce, device.runtimePublicKey(), device.measurementLog);
    byte[] evidence = device.attester.attest(rd, device.measurements, java.time.Instant.now());
    String text = new String(evidence, java.nio.charset.StandardCharsets.UTF_8);
    // Flip one character of the base64url signature.
    int at = text.indexOf("\"signature\":\"") + 14;
    char c = text.charAt(at);
    String tampered = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
    ValidatableResponse r =
        attest(
            device.request(
                nonce,
                tampered.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                List.of(model("neg-model", "synthetic"))));
    rejected(r, 403, "attestation/evidence-invalid", device.id);
    r.body("failures.id", hasItem("dev.signature.invalid"));
    // Every failure has one shape, the same as arca evidence verify prints: id, kind, message.
    assertThat(r.extract().asString())
        .contains("{\"id\":\"dev.signature.invalid\",\"kind\":\"evidence\",\"message\":\"");
  }

  @Test
  void evidenceFromAnotherEnrolledKey() {
    DevDevice device = enrolled("impostor");
    DevDevice impostor = new DevDevice(device.id); // same id, different attestation key
    ValidatableResponse r =
        attest(impostor.request(DevDevice.challenge(), List.of(model("neg-model", "synthetic"))));
    rejected(r, 403, "attestation/evidence-invalid", device.id);
    r.body("failures.id", hasItem("dev.key.untrusted"));
  }

  @Test
  void devAttesterIsDeniedSensitiveDataByDefault() {
    DevDevice device = enrolled("dev-phi");
    ValidatableResponse r =
        attest(device.request(DevDevice.challenge(), List.of(model("neg-model", "phi"))));
    rejected(r, 403, "attestation/policy-denied", device.id);
    r.body("denials[0].rules", hasItem("software-attester-beyond-synthetic"))
        .body("policy", equalTo("service-test@1"));
  }

  @Test
  void aClassTheModelWasNotSealedForIsDenied() {
    DevDevice device = enrolled("pci");
    ValidatableResponse r =
        attest(device.request(DevDevice.challenge(), List.of(model("neg-model", "pci"))));
    rejected(r, 403, "attestation/policy-denied", device.id);
    r.body("denials[0].reason", equalTo("model-not-for-data-class"));
  }

  @Test
  void unknownFormat() {
    DevDevice device = enrolled("format");
    Map<String, Object> body =
        new java.util.HashMap<>(
            device.request(DevDevice.challenge(), List.of(model("neg-model", "synthetic"))));
    body.put("format", "quantum-tpm");
    attest(body).statusCode(400).body("type", equalTo("urn:arca:problem:unknown-format"));
  }

  @Test
  void badInputIsFourHundredNeverFiveHundred() {
    DevDevice device = enrolled("bad-input");
    given()
        .contentType(ContentType.JSON)
        .body("{\"deviceId\": ")
        .post("/v1/attestations")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:bad-json"));
    given()
        .contentType(ContentType.JSON)
        .body("[1,2]")
        .post("/v1/attestations")
        .then()
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:bad-json"));
    Map<String, Object> body =
        new java.util.HashMap<>(
            device.request(DevDevice.challenge(), List.of(model("neg-model", "synthetic"))));
    body.put("evidence", "not base64 !!");
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/attestations")
        .then()
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:bad-base64"));
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/v1/attestations")
        .then()
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    given()
        .contentType(ContentType.TEXT)
        .body("hello")
        .post("/v1/attestations")
        .then()
        .statusCode(415)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:unsupported-media-type"));
    given()
        .get("/v1/attestations")
        .then()
        .statusCode(405)
        .body("type", equalTo("urn:arca:problem:method-not-allowed"));
    given()
        .contentType(ContentType.JSON)
        .body(new byte[2 * 1024 * 1024])
        .post("/v1/attestations")
        .then()
        .statusCode(413)
        .body("type", equalTo("urn:arca:problem:body-too-large"));
    String stack =
        given()
            .contentType(ContentType.JSON)
            .body("{\"deviceId\": [")
            .post("/v1/attestations")
            .then()
            .extract()
            .asString();
    assertThat(stack).doesNotContain("Exception").doesNotContain("java.");
  }
}
