// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit;

import static dev.arca.attestation.testing.DevDevice.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.FromAddress;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Anonymous callers cannot grow the append-only log or its blob store: issuing a challenge writes
 * nothing (the nonce is logged with the attestation that redeems it), an attestation whose nonce
 * this service did not issue stores nothing at all, and evidence is kept only for a device that may
 * attest. The store is read by SQL.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class LogGrowthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Database db;

  @Test
  void aFloodOfChallengesDoesNotGrowTheLog() {
    long entries = count("SELECT count(*) FROM tlog_entry");
    for (int i = 0; i < 40; i++) {
      FromAddress.of("127.0.0.11").post("/v1/challenges").then().statusCode(200);
    }
    assertThat(count("SELECT count(*) FROM tlog_entry")).isEqualTo(entries);
    assertThat(count("SELECT size FROM tlog_head")).isEqualTo(entries);
  }

  @Test
  void attestationsWithForgedNoncesStoreNothing() {
    DevDevice d = new DevDevice("growth-forged");
    d.enrol(Map.of("class", "growth-box"));
    long entries = count("SELECT count(*) FROM tlog_entry");
    long[] blobs = blobs();
    for (int i = 0; i < 20; i++) {
      byte[] forged = random(56);
      FromAddress.of("127.0.0.12")
          .contentType(ContentType.JSON)
          .body(d.request(forged, random(384 * 1024), List.of(model("growth-model", "synthetic"))))
          .post("/v1/attestations")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:attestation/nonce-invalid"));
    }
    assertThat(blobs()).containsExactly(blobs);
    assertThat(count("SELECT count(*) FROM tlog_entry")).isEqualTo(entries);
  }

  @Test
  void aValidNonceFromAnUnknownDeviceIsLoggedButKeepsNoEvidence() {
    DevDevice stranger = new DevDevice("growth-stranger");
    long[] blobs = blobs();
    byte[] evidence = random(384 * 1024);
    FromAddress.of("127.0.0.13")
        .contentType(ContentType.JSON)
        .body(
            stranger.request(
                DevDevice.challenge(), evidence, List.of(model("growth-model", "synthetic"))))
        .post("/v1/attestations")
        .then()
        .statusCode(403)
        .body("type", equalTo("urn:arca:problem:attestation/device-unknown"));
    assertThat(blobs()).containsExactly(blobs);
    // The nonce was ours, so the attempt is a decision about a device and is logged.
    assertThat(AuditLines.outcomes(AuditLines.about("device:" + stranger.id)))
        .containsExactly("attestation/device-unknown");
  }

  @Test
  void theAppraisalEntryNamesTheChallengeItRedeemed() throws Exception {
    TestModels.publish(TestModels.seal("growth-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
    TestPolicy.activate();
    DevDevice d = new DevDevice("growth-permit");
    d.enrol(Map.of("class", "growth-box"));
    long entries = count("SELECT count(*) FROM tlog_entry");
    byte[] nonce = DevDevice.challenge();
    String answer =
        FromAddress.of("127.0.0.14")
            .contentType(ContentType.JSON)
            .body(d.request(nonce, List.of(model("growth-model", "synthetic"))))
            .post("/v1/attestations")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    // One decision, one entry: the challenge is not an entry of its own.
    assertThat(count("SELECT count(*) FROM tlog_entry")).isEqualTo(entries + 1);
    long index = JSON.readTree(answer).get("auditSequence").asLong();
    JsonNode line = AuditLines.search(Map.of("after", index - 1, "limit", 1)).get(0);
    JsonNode challenge = line.at("/entry/facts/detail/challenge");
    assertThat(challenge.get("nonceId").asText())
        .isEqualTo(HexFormat.of().formatHex(Arrays.copyOf(nonce, 16)));
    Instant expiry = Instant.ofEpochSecond(ByteBuffer.wrap(nonce, 16, 8).getLong());
    assertThat(challenge.get("expiresAt").asText()).isEqualTo(expiry.toString());
  }

  /** Rows and bytes in the content-addressed blob store. */
  private long[] blobs() {
    return db.read(
        tx -> {
          try (PreparedStatement ps =
                  tx.prepareStatement(
                      "SELECT count(*), coalesce(sum(length(bytes)), 0) FROM tlog_evidence");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
          }
        });
  }

  private long count(String sql) {
    return Sql.number(db, sql);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
