// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.registry.PolicyRegistry;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.Sql;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Refusals on the key-release path that each hang on one check: every test fails when that check,
 * and only it, is removed (how each was shown is in docs/testing.md). Each test has its own device
 * and model; it asserts the problem type and the check's id or reason, and that no key came back.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class KeyReleaseRefusalTest {

  @Inject TestClock clock;
  @Inject Database db;
  @Inject PolicyRegistry policies;

  @Test
  void aRefusedAttemptUsesUpItsNonce() {
    TestPolicy.activate();
    DevDevice device = enrolled("krr-nonce");
    byte[] nonce = DevDevice.challenge();
    Map<String, Object> refused =
        device.request(nonce, List.of(model("no-such-model", "synthetic")));
    attest(refused).statusCode(403);
    // The same nonce with a request that would be decided is now a replay.
    refused(
        attest(device.request(nonce, List.of(model("no-such-model", "synthetic")))),
        409,
        "attestation/nonce-replayed",
        device);
  }

  @Test
  void aMeasurementLogSwappedAfterAttestingIsUnbound() {
    TestPolicy.activate();
    byte[] attested = log("runtime.jar sha256:00\ninsecure:heap-dump-on-oom\n");
    byte[] sent = log("runtime.jar sha256:00\n"); // the insecure line stripped afterwards
    DevDevice device = new DevDevice("krr-log", sent);
    device.enrol(Map.of());
    byte[] nonce = DevDevice.challenge();
    byte[] evidence =
        device.attester.attest(
            ReportData.ofLog(nonce, device.runtimePublicKey(), attested),
            device.measurements,
            Instant.now());
    refused(
        attest(device.request(nonce, evidence, List.of(model("no-such-model", "synthetic")))),
        403,
        "attestation/report-data-unbound",
        device);
  }

  @Test
  void evidenceOfARuntimeInDebugModeIsRefused() {
    TestPolicy.activate();
    DevDevice device = enrolled("krr-debug");
    byte[] nonce = DevDevice.challenge();
    byte[] evidence =
        device.attester.attest(
            ReportData.ofLog(nonce, device.runtimePublicKey(), device.measurementLog),
            device.measurements,
            Instant.now(),
            true);
    refused(
        attest(device.request(nonce, evidence, List.of(model("no-such-model", "synthetic")))),
        403,
        "attestation/debug-evidence",
        device);
  }

  @Test
  void evidenceInAnotherFormatThanEnrolledIsRefusedByThatCheck() {
    TestPolicy.activate();
    DevDevice device = enrolled("krr-format");
    Map<String, Object> body =
        new HashMap<>(
            device.request(DevDevice.challenge(), List.of(model("no-such-model", "synthetic"))));
    body.put("format", "tpm2");
    refused(attest(body), 403, "attestation/evidence-invalid", device)
        .body("failures.id", hasItem("appraisal.format-not-enrolled"));
  }

  @Test
  void aModelNotSealedForTheDataClassIsDeniedForThatReason() {
    TestPolicy.activate();
    DevDevice device = enrolled("krr-class");
    TestModels.publish(TestModels.seal("krr-phi-only", 1, List.of("phi"), 256))
        .then()
        .statusCode(201);
    // The policy would permit synthetic data on this device; the model was not sealed for it.
    refused(
            attest(
                device.request(DevDevice.challenge(), List.of(model("krr-phi-only", "synthetic")))),
            403,
            "attestation/policy-denied",
            device)
        .body("denials[0].reason", equalTo("model-not-for-data-class"));
  }

  @Test
  void aRequestNoRuleOfThePolicyPermitsIsDeniedByDefault() {
    TestPolicy.activate();
    DevDevice device = enrolled("krr-default");
    TestModels.publish(TestModels.seal("krr-research", 1, List.of("research"), 256))
        .then()
        .statusCode(201);
    refused(
            attest(
                device.request(DevDevice.challenge(), List.of(model("krr-research", "research")))),
            403,
            "attestation/policy-denied",
            device)
        .body("denials[0].reason", equalTo("no-matching-permit"))
        .body("denials[0].rules", empty());
  }

  @Test
  void withNoActivePolicyNothingIsReleased() {
    TestPolicy.activate();
    DevDevice device = enrolled("krr-no-policy");
    // Every service test shares one database with a policy active: deactivate it for this test
    // (as a database writer could; the row's seal still holds) and put it back afterwards.
    String active = Sql.text(db, "SELECT name || '@' || version FROM policy WHERE active");
    Sql.update(db, "UPDATE policy SET active = false WHERE active");
    policies.reload();
    try {
      refused(
          attest(device.request(DevDevice.challenge(), List.of(model("krr-any", "synthetic")))),
          403,
          "attestation/no-active-policy",
          device);
    } finally {
      Sql.update(db, "UPDATE policy SET active = true WHERE name || '@' || version = ?", active);
      policies.reload();
    }
  }

  @Test
  void aGrantDoesNotOpenAnotherVersionOfItsModel() {
    String grant = grantForTheNewestOf("krr-version", "krr-version-model");
    download(grant, "krr-version-model", 2).statusCode(200);
    refusedDownload(download(grant, "krr-version-model", 1));
  }

  @Test
  void aGrantDoesNotOpenAnotherModel() {
    String grant = grantForTheNewestOf("krr-model", "krr-model-model");
    publish("krr-model-other", 1);
    download(grant, "krr-model-model", 2).statusCode(200);
    refusedDownload(download(grant, "krr-model-other", 1));
  }

  @Test
  void anExpiredGrantOpensNothing() {
    String grant = grantForTheNewestOf("krr-expiry", "krr-expiry-model");
    try {
      clock.advance(Duration.ofHours(1).plusMinutes(1)); // past the grant's one-hour lease
      refusedDownload(download(grant, "krr-expiry-model", 2));
    } finally {
      clock.reset();
    }
    download(grant, "krr-expiry-model", 2).statusCode(200);
  }

  @Test
  void aGrantOfARevokedDeviceOpensNothing() {
    String grant = grantForTheNewestOf("krr-revoked", "krr-revoked-model");
    download(grant, "krr-revoked-model", 2).statusCode(200);
    Api.as("device-admin").post("/v1/devices/krr-revoked/revoke").then().statusCode(200);
    refusedDownload(download(grant, "krr-revoked-model", 2));
  }

  /** Enrols {@code deviceId}, publishes versions 1 and 2 of {@code model}; grant for version 2. */
  private static String grantForTheNewestOf(String deviceId, String model) {
    TestPolicy.activate();
    DevDevice device = enrolled(deviceId);
    publish(model, 1);
    publish(model, 2);
    return attest(device.request(DevDevice.challenge(), List.of(model(model, "synthetic"))))
        .statusCode(200)
        .body("grants[0].version", equalTo(2))
        .extract()
        .path("grants[0].grantId");
  }

  private static void publish(String model, long version) {
    TestModels.publish(TestModels.seal(model, version, List.of("synthetic"), 256))
        .then()
        .statusCode(201);
  }

  private static void refusedDownload(ValidatableResponse r) {
    r.statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:grant-required"));
  }

  private static DevDevice enrolled(String id) {
    DevDevice device = new DevDevice(id);
    device.enrol(Map.of());
    return device;
  }

  private static byte[] log(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static ValidatableResponse attest(Map<String, Object> body) {
    return given().contentType(ContentType.JSON).body(body).post("/v1/attestations").then();
  }

  /** The refusal's problem type, no key, and the audit entry it names records it for the device. */
  private static ValidatableResponse refused(
      ValidatableResponse r, int status, String problem, DevDevice device) {
    Refusals.refused(r, status, problem, device.id);
    return r;
  }

  private static ValidatableResponse download(String grant, String model, int version) {
    return given()
        .header("Arca-Grant", grant)
        .get("/v1/models/" + model + "/versions/" + version + "/package")
        .then();
  }
}
