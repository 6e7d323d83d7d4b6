// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.usage;

import static dev.arca.attestation.testing.DevDevice.b64;
import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.evidence.usage.UsageKey;
import dev.arca.evidence.usage.UsageReport;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Usage reports into the audit log, attacked as a device or a database writer would: only reports
 * signed by a usage key the device's own attestation bound are logged, each once.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class UsageReportsTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static boolean ready;

  @Inject Database db;

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestPolicy.activate();
    TestModels.publish(TestModels.seal("usage-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
  }

  /** A usage key as a runtime derives one from its fresh per-boot key. */
  private static UsageKey freshUsageKey() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return UsageKey.derivedFrom(secret);
  }

  /** An enrolled dev device whose runtime attests a usage key; returns its EAR token. */
  private static String attested(DevDevice d) {
    d.usageKey = freshUsageKey();
    d.enrol(Map.of("class", "usage-box"));
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(model("usage-model", "synthetic"))))
        .post("/v1/attestations")
        .then()
        .statusCode(200)
        .extract()
        .path("token");
  }

  private static UsageReport report(String deviceId, UsageKey key, long served) {
    return new UsageReport(
        deviceId,
        key.publicKey(),
        T0,
        T0.plusSeconds(60),
        List.of(
            new UsageReport.Count("usage-model", 1, "synthetic", served, 2),
            new UsageReport.Count(UsageReport.UNLISTED, 0, UsageReport.UNLISTED, 0, 1)),
        List.of(new UsageReport.Unloaded("usage-model", 1, T0.plusSeconds(30), "revoked")),
        0);
  }

  private static ValidatableResponse upload(
      String deviceId, String token, SignedUsageReport... rs) {
    List<Map<String, String>> reports =
        java.util.Arrays.stream(rs)
            .map(r -> Map.of("report", b64(r.report()), "signature", b64(r.signature())))
            .toList();
    var req = given().contentType(ContentType.JSON).body(Map.of("reports", reports));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return req.post("/v1/devices/" + deviceId + "/usage").then();
  }

  private static List<JsonNode> usageEntries(String deviceId) {
    return AuditLines.search(Map.of("kind", "usage", "device", deviceId));
  }

  @Test
  void aReportSignedWithTheAttestedKeyIsLoggedOnceWithWhatAnAuditorNeedsToCheckIt() {
    DevDevice d = new DevDevice("usage-1");
    String token = attested(d);
    SignedUsageReport signed = SignedUsageReport.sign(report(d.id, d.usageKey, 40), d.usageKey);

    long index =
        upload(d.id, token, signed)
            .statusCode(200)
            .body("results[0].outcome", equalTo("accepted"))
            .extract()
            .jsonPath()
            .getLong("results[0].auditIndex");
    // The same report again (an answer lost on the way back): logged once.
    upload(d.id, token, signed)
        .statusCode(200)
        .body("results[0].outcome", equalTo("duplicate"))
        .body("results[0].auditIndex", equalTo((int) index));

    List<JsonNode> entries = usageEntries(d.id);
    assertThat(entries).hasSize(1);
    JsonNode detail = entries.get(0).at("/entry/facts/detail");
    assertThat(entries.get(0).get("index").asLong()).isEqualTo(index);
    assertThat(entries.get(0).at("/entry/type").asText()).isEqualTo("usage.reported");
    assertThat(detail.get("served").asLong()).isEqualTo(40);
    assertThat(detail.get("refused").asLong()).isEqualTo(3);
    assertThat(detail.at("/counts/0/model").asText()).isEqualTo("usage-model");
    assertThat(detail.at("/unloaded/0/reason").asText()).isEqualTo("revoked");
    // An auditor checks the signature over the kept bytes, under the key the appraisal at
    // attestedIn bound, without trusting the service's reading of the report.
    Base64.Decoder b64 = Base64.getDecoder();
    assertThat(
            UsageKey.verify(
                b64.decode(detail.get("usageKey").asText()),
                b64.decode(detail.get("report").asText()),
                b64.decode(detail.get("signature").asText())))
        .isTrue();
    JsonNode appraisal = AuditLines.entry(detail.get("attestedIn").asLong());
    assertThat(appraisal.get("type").asText()).isEqualTo("attestation.appraised");
    assertThat(appraisal.at("/facts/detail/replay/usageKey").asText())
        .isEqualTo(detail.get("usageKey").asText());
  }

  @Test
  void reportsThatDoNotProveTheirOriginAreRejectedAndNotLogged() {
    DevDevice d = new DevDevice("usage-2");
    String token = attested(d);
    SignedUsageReport genuine = SignedUsageReport.sign(report(d.id, d.usageKey, 5), d.usageKey);
    // The counts changed after signing.
    byte[] inflated =
        new String(genuine.report(), StandardCharsets.UTF_8)
            .replace("\"served\":5", "\"served\":5000")
            .getBytes(StandardCharsets.UTF_8);
    SignedUsageReport forged = new SignedUsageReport(inflated, genuine.signature());
    // Well signed, by a key no attestation of this device bound.
    UsageKey stranger = freshUsageKey();
    SignedUsageReport unattested = SignedUsageReport.sign(report(d.id, stranger, 5), stranger);
    // Another device's name in a report this device signed.
    SignedUsageReport otherDevice =
        SignedUsageReport.sign(report("usage-elsewhere", d.usageKey, 5), d.usageKey);

    upload(d.id, token, forged, unattested, otherDevice)
        .statusCode(200)
        .body("results.outcome", equalTo(List.of("rejected", "rejected", "rejected")))
        .body("results[0].reason", containsString("signature"))
        .body("results[1].reason", containsString("never attested"))
        .body("results[2].reason", containsString("usage-elsewhere"));
    assertThat(usageEntries(d.id)).isEmpty();
  }

  @Test
  void onlyTheDevicesOwnCurrentTokenMayUpload() {
    DevDevice d = new DevDevice("usage-3");
    String token = attested(d);
    SignedUsageReport signed = SignedUsageReport.sign(report(d.id, d.usageKey, 1), d.usageKey);
    upload(d.id, null, signed)
        .statusCode(401)
        .contentType(Problem.MEDIA_TYPE)
        .body("detail", containsString("EAR token"));
    DevDevice other = new DevDevice("usage-3-other");
    String otherToken = attested(other);
    upload(d.id, otherToken, signed)
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("detail", containsString("usage-3-other"));
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + token)
        .body(Map.of("reports", List.of()))
        .post("/v1/devices/" + d.id + "/usage")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(usageEntries(d.id)).isEmpty();
  }

  /**
   * A database writer who adds their own key to a device's attested usage keys gets nothing logged:
   * the row fails its seal, and the upload is refused (the runtime keeps its reports) instead of
   * accepting or dropping them.
   */
  @Test
  void aUsageKeyInsertedWithSqlIsRefused() {
    DevDevice d = new DevDevice("usage-4");
    String token = attested(d);
    UsageKey attacker = freshUsageKey();
    Sql.update(
        db,
        "INSERT INTO usage_key (device_id, public_key, attested_at, audit_index)"
            + " VALUES (?, ?, now(), 0)",
        d.id,
        attacker.publicKey());
    try {
      upload(d.id, token, SignedUsageReport.sign(report(d.id, attacker, 9999), attacker))
          .statusCode(500)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:state-tampered"));
      assertThat(usageEntries(d.id)).isEmpty();
    } finally {
      Sql.update(
          db,
          "DELETE FROM usage_key WHERE device_id = ? AND public_key = ?",
          d.id,
          attacker.publicKey());
    }
  }

  /**
   * A usage key swapped into the attestation request on the way (to sign reports for the device
   * later) is not the one the evidence binds: the attestation is refused and no key is recorded.
   */
  @Test
  void aUsageKeyTheEvidenceDoesNotBindIsRefusedAtAttestation() {
    DevDevice d = new DevDevice("usage-5");
    d.usageKey = freshUsageKey();
    d.enrol(Map.of("class", "usage-box"));
    Map<String, Object> body =
        new java.util.HashMap<>(
            d.request(DevDevice.challenge(), List.of(model("usage-model", "synthetic"))));
    UsageKey swapped = freshUsageKey();
    body.put("usageKey", b64(swapped.publicKey()));
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/attestations")
        .then()
        .statusCode(403)
        .body("type", equalTo("urn:arca:problem:attestation/report-data-unbound"));
    assertThat(Sql.number(db, "SELECT count(*) FROM usage_key WHERE device_id = ?", d.id)).isZero();
  }

  @Test
  void aKindFamilyMustBeADottedName() {
    dev.arca.attestation.testing.Api.as("auditor")
        .queryParam("kind", "usage%")
        .get("/v1/audit/search")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
  }
}
