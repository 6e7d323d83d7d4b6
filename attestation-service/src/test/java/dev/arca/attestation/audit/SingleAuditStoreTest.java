// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transparency log is the one audit store: each decision is exactly one leaf, {@code
 * auditSequence} is that leaf's 0-based index, the retired {@code audit_entry} table is gone after
 * migration, and the retired {@code GET /v1/audit/entries} is a plain 404 problem.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class SingleAuditStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static boolean ready;

  @Inject Database db;
  @Inject Flyway flyway;

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.publish(TestModels.seal("store-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
    TestPolicy.activate();
  }

  private static ValidatableResponse attest(DevDevice d, byte[] nonce) {
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(nonce, List.of(model("store-model", "synthetic"))))
        .post("/v1/attestations")
        .then();
  }

  @Test
  void eachDecisionIsWrittenExactlyOnceAsOneLeaf() throws Exception {
    DevDevice d = new DevDevice("store-once-1");
    d.enrol(Map.of("class", "store-box"));
    long before = count("SELECT count(*) FROM tlog_entry");
    byte[] nonce = DevDevice.challenge();
    JsonNode permitted = JSON.readTree(attest(d, nonce).statusCode(200).extract().asString());
    // The same nonce again: a rejection, itself a decision with its own single leaf.
    attest(d, nonce).statusCode(409);
    long after = count("SELECT count(*) FROM tlog_entry");

    // Appraisal, rejection: two decisions, two leaves, nothing else written (a challenge is not
    // an entry of its own; the entries name the nonce they redeemed).
    assertThat(after - before).isEqualTo(2);
    List<JsonNode> about = AuditLines.about("device:" + d.id);
    assertThat(AuditLines.kinds(about))
        .containsExactly("device.enrolled", "attestation.appraised", "attestation.rejected");
    assertThat(AuditLines.outcomes(about))
        .containsExactly("ok", "permit", "attestation/nonce-replayed");
    assertThat(count("SELECT count(*) FROM tlog_entry WHERE subject = 'device:store-once-1'"))
        .isEqualTo(3);

    // auditSequence is the appraisal leaf's index, from 0, the receipt's index too.
    long sequence = permitted.get("auditSequence").asLong();
    assertThat(sequence).isEqualTo(permitted.at("/auditReceipt/index").asLong());
    assertThat(about.get(1).get("index").asLong()).isEqualTo(sequence);
    assertThat(sequence).isBetween(before, after - 1);
    assertThat(count("SELECT size FROM tlog_head"))
        .isEqualTo(count("SELECT count(*) FROM tlog_entry"));
  }

  @Test
  void theRetiredTableIsDroppedByTheMigration() throws Exception {
    assertThat(
            strings(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                    + " WHERE table_name = 'audit_entry'"))
        .isEmpty();
    assertThat(strings("SELECT script FROM flyway_schema_history WHERE version = '40' AND success"))
        .containsExactly("db/migration/V40__retire_audit_entry.sql");
    // The log's own tables are all still there.
    assertThat(
            strings(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_name LIKE 'tlog\\_%' ORDER BY table_name"))
        .containsExactly(
            "tlog_checkpoint", "tlog_entry", "tlog_evidence", "tlog_head", "tlog_node");
  }

  /**
   * On a copy of the schema in a scratch schema: rows of {@code audit_entry} older than the log's
   * first leaf (history from before V20, kept nowhere else) stop the migration; rows the log also
   * holds do not.
   */
  @Test
  void theMigrationRefusesToDropHistoryTheLogDoesNotHold() {
    String schema = "v40_guard";
    try {
      migrate(schema, "30");
      update(
          "INSERT INTO v40_guard.audit_entry (kind, actor, subject, outcome, detail, created_at)"
              + " VALUES ('device.enrolled', 'admin', 'device:old', 'ok', '{}',"
              + " now() - interval '400 days')");
      assertThatThrownBy(() -> migrate(schema, "40"))
          .isInstanceOf(FlywayException.class)
          .hasMessageContaining("audit_entry holds 1 row(s) older than the transparency log");
      assertThat(tables(schema)).contains("audit_entry");

      // Exported and deleted by the operator; what is left was written beside its leaf.
      update("DELETE FROM v40_guard.audit_entry");
      update(
          "INSERT INTO v40_guard.tlog_entry (idx, leaf, leaf_hash, type, actor, subject, outcome,"
              + " logged_at) VALUES (0, '\\x7b7d', '\\x00', 'device.enrolled', 'admin',"
              + " 'device:new', 'ok', date_trunc('milliseconds', now()))");
      update(
          "INSERT INTO v40_guard.audit_entry (kind, actor, subject, outcome, detail, created_at)"
              + " VALUES ('device.enrolled', 'admin', 'device:new', 'ok', '{}', now())");
      migrate(schema, "40");
      assertThat(tables(schema)).doesNotContain("audit_entry").contains("tlog_entry");
    } finally {
      update("DROP SCHEMA IF EXISTS v40_guard CASCADE");
    }
  }

  private void migrate(String schema, String target) {
    Flyway.configure()
        .configuration(flyway.getConfiguration())
        .schemas(schema)
        .defaultSchema(schema)
        .target(target)
        .load()
        .migrate();
  }

  private List<String> tables(String schema) {
    return strings(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'");
  }

  private void update(String sql) {
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps = tx.prepareStatement(sql)) {
            return ps.executeUpdate();
          }
        });
  }

  @Test
  void theRetiredEndpointIsAPlainNotFound() {
    for (var request : List.of(Api.as("auditor"), Api.anonymous())) {
      request
          .queryParam("subject", "device:store-once-1")
          .get("/v1/audit/entries")
          .then()
          .statusCode(404)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:not-found"));
    }
  }

  @Test
  void searchFiltersBySubjectAndKind() {
    DevDevice d = new DevDevice("store-filter-1");
    d.enrol(Map.of("class", "store-box"));
    attest(d, DevDevice.challenge()).statusCode(200);
    attest(d, DevDevice.challenge()).statusCode(200);

    List<JsonNode> bySubject = AuditLines.about("device:store-filter-1");
    assertThat(bySubject).hasSize(3);
    assertThat(bySubject)
        .allSatisfy(
            l ->
                assertThat(l.at("/entry/facts/subject").asText())
                    .isEqualTo("device:store-filter-1"));

    List<JsonNode> appraised =
        AuditLines.search(
            Map.of("subject", "device:store-filter-1", "kind", "attestation.appraised"));
    assertThat(AuditLines.kinds(appraised))
        .containsExactly("attestation.appraised", "attestation.appraised");
    assertThat(appraised.get(0).get("index").asLong())
        .isLessThan(appraised.get(1).get("index").asLong());

    List<JsonNode> enrolments = AuditLines.search(Map.of("kind", "device.enrolled"));
    assertThat(AuditLines.kinds(enrolments)).isNotEmpty().containsOnly("device.enrolled");
    assertThat(enrolments)
        .anySatisfy(
            l ->
                assertThat(l.at("/entry/facts/subject").asText())
                    .isEqualTo("device:store-filter-1"));

    assertThat(AuditLines.search(Map.of("subject", "device:store-nobody"))).isEmpty();
    assertThat(
            AuditLines.search(Map.of("subject", "device:store-filter-1", "kind", "device.revoked")))
        .isEmpty();
  }

  private long count(String sql) {
    return Sql.number(db, sql);
  }

  private List<String> strings(String sql) {
    return db.read(
        tx -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = tx.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }
}
