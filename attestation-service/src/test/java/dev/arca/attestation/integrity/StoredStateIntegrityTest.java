// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.integrity;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.arca.attestation.registry.PolicyRegistry;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.evidence.dev.DevVerifier;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A database writer cannot enrol a device, activate a policy, add reference values, trust a
 * publisher key, un-revoke a model or grant itself a download: every such row carries a seal under
 * a KEK-wrapped key, and a row written or changed with SQL (against the real PostgreSQL) is refused
 * as {@code state-tampered}, never used. Each test puts back what it changed.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class StoredStateIntegrityTest {

  @Inject Database db;
  @Inject PolicyRegistry policies;

  @Test
  void aDeviceInsertedWithSqlCannotAttestAndTheRefusalIsAudited() {
    TestPolicy.activate();
    DevDevice forged = new DevDevice("sealed-forged");
    Sql.update(
        db,
        "INSERT INTO device (id, format, identity, enrolment, attributes, status, enrolled_at,"
            + " enrolled_by) VALUES (?, 'dev', ?, ?::jsonb, '{}'::jsonb, 'active', now(), 'x')",
        forged.id,
        DevVerifier.deviceIdentity(forged.attester.publicKey()),
        "{\"publicKey\":\"" + DevDevice.b64(forged.attester.publicKey()) + "\"}");
    try {
      attest(forged)
          .statusCode(500)
          .contentType("application/problem+json")
          .body("type", equalTo("urn:arca:problem:state-tampered"))
          .body("grants", nullValue());
      assertThat(AuditLines.outcomes(AuditLines.about("device:sealed-forged")))
          .containsExactly("state-tampered");
      Api.as("device-admin").get("/v1/devices/sealed-forged").then().statusCode(500);
    } finally {
      Sql.update(db, "DELETE FROM device WHERE id = ?", forged.id);
    }
  }

  @Test
  void attributesChangedWithSqlAreRefusedAndAcceptedAgainOncePutBack() {
    DevDevice device = new DevDevice("sealed-attrs");
    device.enrol(Map.of("class", "sealed-box"));
    String attrs = Sql.text(db, "SELECT attributes::text FROM device WHERE id = ?", device.id);
    Sql.update(
        db,
        "UPDATE device SET attributes = '{\"class\":\"phi-workstation\"}'::jsonb WHERE id = ?",
        device.id);
    try {
      Api.as("device-admin")
          .get("/v1/devices/" + device.id)
          .then()
          .statusCode(500)
          .body("type", equalTo("urn:arca:problem:state-tampered"))
          .body("row", equalTo("device(id=sealed-attrs)"));
    } finally {
      Sql.update(db, "UPDATE device SET attributes = ?::jsonb WHERE id = ?", attrs, device.id);
    }
    Api.as("device-admin").get("/v1/devices/" + device.id).then().statusCode(200);
  }

  @Test
  void aSealCopiedFromAnotherRowDoesNotFit() {
    DevDevice a = new DevDevice("sealed-copy-a");
    DevDevice b = new DevDevice("sealed-copy-b");
    a.enrol(Map.of());
    b.enrol(Map.of());
    String bMac = Sql.text(db, "SELECT encode(row_mac, 'hex') FROM device WHERE id = ?", b.id);
    Sql.update(
        db,
        "UPDATE device SET row_mac = (SELECT row_mac FROM device WHERE id = ?) WHERE id = ?",
        a.id,
        b.id);
    try {
      Api.as("device-admin").get("/v1/devices/" + b.id).then().statusCode(500);
    } finally {
      Sql.update(db, "UPDATE device SET row_mac = decode(?, 'hex') WHERE id = ?", bMac, b.id);
    }
  }

  @Test
  void aPolicyActivatedWithSqlStopsEveryAttestationUntilPutBack() {
    TestPolicy.activate();
    DevDevice device = new DevDevice("sealed-policy");
    device.enrol(Map.of());
    Sql.update(db, "UPDATE policy SET active = FALSE WHERE active");
    Sql.update(
        db,
        "INSERT INTO policy (name, version, document, digest, active, created_at, created_by,"
            + " activated_at) VALUES ('allow-all', 1, 'rules: []', '\\x00', TRUE, now(), 'x',"
            + " now())");
    try {
      policies.reload();
      attest(device).statusCode(500).body("type", equalTo("urn:arca:problem:state-tampered"));
    } finally {
      Sql.update(db, "DELETE FROM policy WHERE name = 'allow-all'");
      Sql.update(db, "UPDATE policy SET active = TRUE WHERE name = 'service-test' AND version = 1");
      policies.reload();
    }
    // The genuine policy is in force again: the request is decided (and denied: no such model).
    attest(device)
        .statusCode(403)
        .body("type", equalTo("urn:arca:problem:attestation/policy-denied"));
  }

  @Test
  void referenceValuesAddedWithSqlAreRefused() {
    TestPolicy.activate();
    DevDevice device = new DevDevice("sealed-refs");
    device.enrol(Map.of());
    Sql.update(
        db,
        "INSERT INTO reference_value (name, version, format, subject, measurements, created_at,"
            + " created_by) VALUES ('sealed-refs', 1, 'dev', ?, '{\"runtime\":[\"ab12cd34\"]}',"
            + " now(), 'x')",
        "device:" + device.id);
    try {
      attest(device).statusCode(500).body("type", equalTo("urn:arca:problem:state-tampered"));
    } finally {
      Sql.update(db, "DELETE FROM reference_value WHERE name = 'sealed-refs'");
    }
  }

  @Test
  void aPublisherKeyInsertedWithSqlIsNotTrusted() {
    Sql.update(
        db,
        "INSERT INTO publisher_key (key_id, algorithm, public_key, status, added_at, added_by)"
            + " VALUES ('sealed-attacker', 'ed25519', '\\x00', 'active', now(), 'x')");
    try {
      Api.as("model-publisher")
          .get("/v1/publisher-keys")
          .then()
          .statusCode(500)
          .body("type", equalTo("urn:arca:problem:state-tampered"))
          .body("row", equalTo("publisher_key(key_id=sealed-attacker)"));
    } finally {
      Sql.update(db, "DELETE FROM publisher_key WHERE key_id = 'sealed-attacker'");
    }
  }

  @Test
  void aRevokedModelVersionRepublishedWithSqlIsRefused() {
    TestModels.publish(TestModels.seal("sealed-model", 1, List.of("synthetic"), 10_000))
        .then()
        .statusCode(201);
    Api.as("model-publisher")
        .post("/v1/models/sealed-model/versions/1/revoke")
        .then()
        .statusCode(200);
    String revokedAt =
        Sql.text(db, "SELECT revoked_at::text FROM model_version WHERE model_id = 'sealed-model'");
    Sql.update(
        db,
        "UPDATE model_version SET status = 'published', revoked_at = NULL WHERE model_id ="
            + " 'sealed-model'");
    try {
      Api.as("model-publisher")
          .get("/v1/models/sealed-model/versions")
          .then()
          .statusCode(500)
          .body("type", equalTo("urn:arca:problem:state-tampered"));
    } finally {
      Sql.update(
          db,
          "UPDATE model_version SET status = 'revoked', revoked_at = ?::timestamptz WHERE"
              + " model_id = 'sealed-model'",
          revokedAt);
    }
    Api.as("model-publisher").get("/v1/models/sealed-model/versions").then().statusCode(200);
  }

  @Test
  void aGrantInsertedWithSqlOpensNothing() {
    DevDevice device = new DevDevice("sealed-grant-forged");
    device.enrol(Map.of());
    publish("sealed-grant-forged-model");
    UUID forged = UUID.randomUUID();
    Sql.update(
        db,
        "INSERT INTO key_grant (id, device_id, model_id, version, runtime_key, expires_at,"
            + " created_at) VALUES (?, ?, 'sealed-grant-forged-model', 1, '\\x00',"
            + " now() + interval '1 hour', now())",
        forged,
        device.id);
    try {
      download(forged.toString(), "sealed-grant-forged-model")
          .statusCode(500)
          .contentType("application/problem+json")
          .body("type", equalTo("urn:arca:problem:state-tampered"))
          .body("row", equalTo("key_grant(id=" + forged + ")"));
    } finally {
      Sql.update(db, "DELETE FROM key_grant WHERE id = ?", forged);
    }
  }

  @Test
  void aGrantExtendedWithSqlIsRefusedAndOpensAgainOncePutBack() {
    String grant = grantFor("sealed-grant-extended");
    UUID id = UUID.fromString(grant);
    String expiresAt = Sql.text(db, "SELECT expires_at::text FROM key_grant WHERE id = ?", id);
    Sql.update(
        db, "UPDATE key_grant SET expires_at = expires_at + interval '30 days' WHERE id = ?", id);
    try {
      download(grant, "sealed-grant-extended-model")
          .statusCode(500)
          .body("type", equalTo("urn:arca:problem:state-tampered"));
    } finally {
      Sql.update(
          db, "UPDATE key_grant SET expires_at = ?::timestamptz WHERE id = ?", expiresAt, id);
    }
    download(grant, "sealed-grant-extended-model").statusCode(200);
  }

  @Test
  void aRevokedDeviceReactivatedWithSqlDownloadsNothing() {
    String grant = grantFor("sealed-grant-revoked");
    Api.as("device-admin").post("/v1/devices/sealed-grant-revoked/revoke").then().statusCode(200);
    String revokedAt =
        Sql.text(db, "SELECT revoked_at::text FROM device WHERE id = 'sealed-grant-revoked'");
    Sql.update(
        db,
        "UPDATE device SET status = 'active', revoked_at = NULL WHERE id = 'sealed-grant-revoked'");
    try {
      download(grant, "sealed-grant-revoked-model")
          .statusCode(500)
          .body("type", equalTo("urn:arca:problem:state-tampered"))
          .body("row", equalTo("device(id=sealed-grant-revoked)"));
    } finally {
      Sql.update(
          db,
          "UPDATE device SET status = 'revoked', revoked_at = ?::timestamptz WHERE id ="
              + " 'sealed-grant-revoked'",
          revokedAt);
    }
    download(grant, "sealed-grant-revoked-model").statusCode(403);
  }

  /** Enrols {@code deviceId}, publishes {@code <deviceId>-model} v1 and returns a genuine grant. */
  private static String grantFor(String deviceId) {
    TestPolicy.activate();
    DevDevice device = new DevDevice(deviceId);
    device.enrol(Map.of());
    publish(deviceId + "-model");
    String grant =
        given()
            .contentType(ContentType.JSON)
            .body(
                device.request(
                    DevDevice.challenge(), List.of(model(deviceId + "-model", "synthetic"))))
            .post("/v1/attestations")
            .then()
            .statusCode(200)
            .extract()
            .path("grants[0].grantId");
    download(grant, deviceId + "-model").statusCode(200);
    return grant;
  }

  private static void publish(String model) {
    TestModels.publish(TestModels.seal(model, 1, List.of("synthetic"), 256)).then().statusCode(201);
  }

  private static ValidatableResponse download(String grant, String model) {
    return given()
        .header("Arca-Grant", grant)
        .get("/v1/models/" + model + "/versions/1/package")
        .then();
  }

  private static ValidatableResponse attest(DevDevice device) {
    return given()
        .contentType(ContentType.JSON)
        .body(device.request(DevDevice.challenge(), List.of(model("no-such-model", "synthetic"))))
        .post("/v1/attestations")
        .then();
  }
}
