// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.Appraiser;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.evidence.ReportData;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.InMemoryLog;
import dev.arca.transparency.log.LogAuditException;
import dev.arca.transparency.log.LogAuditor;
import dev.arca.transparency.log.Receipt;
import dev.arca.transparency.note.SignedNote;
import dev.arca.transparency.tiles.EntryBundleId;
import dev.arca.transparency.tiles.Tiles;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL transparency log against the library's {@link InMemoryLog} oracle, its receipts,
 * its concurrency, and tampering done directly in PostgreSQL, each caught by {@link LogAuditor}
 * (the code of {@code arca audit verify}) reading the service's tiles over HTTP.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
// REPLAYED counts replays per depth in an array a static replay hook can reach.
@SuppressWarnings("EnumOrdinal")
class TransparencyLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static boolean ready;

  @Inject Database db;
  @Inject LogSigner signer;

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.publish(TestModels.seal("tlog-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
    TestPolicy.activate();
  }

  private static JsonNode attest(DevDevice d) throws IOException {
    byte[] nonce = DevDevice.challenge();
    String body =
        given()
            .contentType(ContentType.JSON)
            .body(d.request(nonce, List.of(model("tlog-model", "synthetic"))))
            .post("/v1/attestations")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return JSON.readTree(body);
  }

  private static DevDevice enrolled(String id) {
    DevDevice d = new DevDevice(id);
    d.enrol(Map.of("class", "tlog-box"));
    return d;
  }

  @Test
  void everyAnswerCarriesAReceiptAndTheStoreMatchesTheOracle() throws Exception {
    DevDevice d = enrolled("tlog-oracle-1");
    for (int i = 0; i < 3; i++) {
      JsonNode answer = attest(d);
      Receipt receipt = Receipt.fromJson(answer.get("auditReceipt"));
      byte[] entry = leaf(receipt.index());
      Checkpoint cp = receipt.verify(entry, signer.checkpointVerifier());
      assertThat(cp.size()).isEqualTo(receipt.index() + 1);
      AuditEntry e = AuditEntry.fromLeafBytes(entry);
      assertThat(e.type()).isEqualTo("attestation.appraised");
      assertThat(e.actor()).isEqualTo("device:tlog-oracle-1");
    }

    InMemoryLog oracle = new InMemoryLog();
    long n = size();
    for (long i = 0; i < n; i++) {
      oracle.append(leaf(i));
    }
    Checkpoint served = signer.checkpointVerifier().verify(get("checkpoint", null));
    assertThat(served.size()).isEqualTo(n);
    assertThat(served.rootHash()).isEqualTo(oracle.rootHash(n));
    for (long i = 0; i < n; i++) {
      JsonNode p = JSON.readTree(get("proof/inclusion?index=" + i + "&size=" + n, null));
      assertThat(hashes(p.get("proof")))
          .containsExactlyElementsOf(b64(oracle.inclusionProof(i, n)));
    }
    for (long s = 1; s <= n; s++) {
      JsonNode p = JSON.readTree(get("proof/consistency?from=" + s + "&to=" + n, null));
      assertThat(hashes(p.get("proof")))
          .containsExactlyElementsOf(b64(oracle.consistencyProof(s, n)));
    }
    String leafHash =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(dev.arca.transparency.merkle.MerkleHashes.leafHash(leaf(n - 1)));
    JsonNode byHash = JSON.readTree(get("proof/inclusion?leafHash=" + leafHash, null));
    assertThat(byHash.get("index").asLong()).isEqualTo(n - 1);
    for (long start = 0; start < n; start += Tiles.TILE_WIDTH) {
      EntryBundleId bundle = Tiles.bundleFor(start, n);
      assertThat(get(bundle.hashTile().path(), null)).isEqualTo(oracle.tile(bundle.hashTile()));
      assertThat(get(bundle.path(), "auditor")).isEqualTo(oracle.entryBundle(bundle));
    }
    assertThat(new String(get("vkey", null), UTF_8)).startsWith("arca.dev/audit-log+");
  }

  @Test
  void entriesAndEvidenceNeedTheAuditorRoleTreeIsPublic() throws IOException {
    DevDevice d = enrolled("tlog-roles-1");
    // The kept evidence of this device's appraisal: only an auditor reads it.
    long sequence = attest(d).get("auditSequence").asLong();
    String digest = AuditLines.entry(sequence).at("/facts/detail/replay/evidenceSha256").asText();
    assertThat(digest).hasSize(64);
    given().get("/v1/audit/evidence/" + digest).then().statusCode(401);
    Api.as("policy-admin").get("/v1/audit/evidence/" + digest).then().statusCode(403);
    Api.as("device-admin").get("/v1/audit/evidence/" + digest).then().statusCode(403);
    byte[] kept = get("evidence/" + digest, "auditor");
    assertThat(HexFormat.of().formatHex(ReportData.sha256().digest(kept))).isEqualTo(digest);
    given().get("/v1/audit/checkpoint").then().statusCode(200);
    long n = size();
    EntryBundleId bundle = Tiles.bundleFor(0, n);
    given().get("/v1/audit/" + bundle.hashTile().path()).then().statusCode(200);
    given().get("/v1/audit/" + bundle.path()).then().statusCode(401);
    Api.as("policy-admin").get("/v1/audit/" + bundle.path()).then().statusCode(403);
    Api.as("auditor").get("/v1/audit/" + bundle.path()).then().statusCode(200);
    given().get("/v1/audit/search?device=" + d.id).then().statusCode(401);
    Api.as("policy-admin").get("/v1/audit/export").then().statusCode(403);
  }

  @Test
  void auditorSearchFindsByDeviceModelAndVerdict() throws Exception {
    DevDevice d = enrolled("tlog-search-1");
    attest(d);
    String lines =
        Api.as("auditor")
            .get("/v1/audit/search?device=tlog-search-1&model=tlog-model&version=1&verdict=permit")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> found = lines.lines().toList();
    assertThat(found).hasSize(1);
    JsonNode line = JSON.readTree(found.get(0));
    assertThat(line.at("/entry/actor").asText()).isEqualTo("device:tlog-search-1");
    assertThat(leaf(line.get("index").asLong()))
        .isEqualTo(JSON.writeValueAsBytes(line.get("entry")));
    String none =
        Api.as("auditor")
            .get("/v1/audit/search?device=tlog-search-1&verdict=deny&from=2000-01-01T00:00:00Z")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(none).isEmpty();
    String export =
        Api.as("auditor").get("/v1/audit/export").then().statusCode(200).extract().asString();
    assertThat(export.lines().count()).isEqualTo(size());
  }

  @Test
  void parallelAttestationsGiveAGapFreeVerifiableLog() throws Exception {
    int count = 24;
    List<DevDevice> devices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      devices.add(enrolled("tlog-par-" + i));
    }
    long before = size();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<JsonNode>> answers = new ArrayList<>();
    for (DevDevice d : devices) {
      answers.add(pool.submit(() -> attest(d)));
    }
    List<Long> indexes = new ArrayList<>();
    for (Future<JsonNode> f : answers) {
      Receipt r = Receipt.fromJson(f.get().get("auditReceipt"));
      r.verify(leaf(r.index()), signer.checkpointVerifier());
      indexes.add(r.index());
    }
    pool.shutdown();
    assertThat(indexes).doesNotHaveDuplicates();
    long after = size();
    // Every index below the size is present exactly once, and so is its checkpoint.
    long[] stats =
        db.read(
            tx -> {
              try (PreparedStatement ps =
                      tx.prepareStatement(
                          "SELECT count(*), coalesce(max(idx), -1),"
                              + " (SELECT count(*) FROM tlog_checkpoint) FROM tlog_entry");
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
              }
            });
    assertThat(stats[0]).isEqualTo(after);
    assertThat(stats[1]).isEqualTo(after - 1);
    // Group commit: one checkpoint per batch, so at most one per entry.
    assertThat(stats[2]).isBetween(1L, after);
    assertThat(after - before).isEqualTo(count); // an appraisal each; challenges write nothing
    Arrays.fill(REPLAYED, 0);
    LogAuditor.Result result = auditor().audit(Optional.empty(), 0, TransparencyLogTest::recheck);
    assertThat(result.entriesChecked()).isEqualTo(after);
    // Every appraisal was re-run: its evidence re-verified and its decision re-decided.
    assertThat(REPLAYED[AppraisalReplay.Depth.DECISION.ordinal()]).isGreaterThanOrEqualTo(count);
  }

  @Test
  void rejectionsAreRecordedSoThatTheyReplay() throws Exception {
    DevDevice d = enrolled("tlog-reject-1");
    long before = size();
    // Evidence bound to another nonce: rejected as unbound; the replay reproduces the failure.
    byte[] nonce = DevDevice.challenge();
    byte[] elsewhere =
        d.attester.attest(
            ReportData.ofLog(new byte[16], d.runtimePublicKey(), d.measurementLog),
            d.measurements,
            java.time.Instant.now());
    given()
        .contentType(ContentType.JSON)
        .body(d.request(nonce, elsewhere, List.of(model("tlog-model", "synthetic"))))
        .post("/v1/attestations")
        .then()
        .statusCode(403);
    // A data class the model allows but the policy forbids for the dev attester: the denial
    // replays as a denial.
    TestModels.publish(TestModels.seal("tlog-phi-model", 1, List.of("synthetic", "phi"), 512))
        .then()
        .statusCode(201);
    given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(model("tlog-phi-model", "phi"))))
        .post("/v1/attestations")
        .then()
        .statusCode(403);
    Arrays.fill(REPLAYED, 0);
    auditor().audit(Optional.empty(), before, TransparencyLogTest::recheck);
    assertThat(REPLAYED[AppraisalReplay.Depth.EVIDENCE.ordinal()]).isEqualTo(1);
    assertThat(REPLAYED[AppraisalReplay.Depth.DECISION.ordinal()]).isEqualTo(1);
    JsonNode denial = AuditEntry.fromLeafBytes(leaf(size() - 1)).facts();
    assertThat(denial.at("/outcome").asText()).isEqualTo("attestation/policy-denied");
    assertThat(denial.at("/detail/replay/policy/name").asText()).isEqualTo("service-test");
    assertThat(denial.at("/detail/replay/decisions/0/permitted").isBoolean()).isTrue();
    assertThat(denial.at("/detail/replay/decisions/0/permitted").asBoolean()).isFalse();
    assertThat(denial.at("/detail/replay/decisions/0/rules/0").asText())
        .isEqualTo("software-attester-beyond-synthetic");
  }

  @Test
  void tamperingInPostgresIsDetectedAndTheEntryNamed() throws Exception {
    DevDevice d = enrolled("tlog-tamper-1");
    JsonNode first = attest(d);
    attest(d);
    long k = Receipt.fromJson(first.get("auditReceipt")).index();
    LogAuditor.Result clean = auditor().audit(Optional.empty(), 0, TransparencyLogTest::recheck);
    Checkpoint trusted = clean.checkpoint();
    byte[] original = leaf(k);
    byte[] next = leaf(k + 1);

    // 1. One byte of an entry changed.
    byte[] changed = original.clone();
    changed[changed.length / 2] ^= 0x01;
    setLeaf(k, changed);
    assertNamed(k, "audit.entry-mismatch");
    setLeaf(k, original);

    // 2. Two entries swapped.
    setLeaf(k, next);
    setLeaf(k + 1, original);
    assertNamed(k, "audit.entry-mismatch");
    setLeaf(k, original);
    setLeaf(k + 1, next);

    // 3. An entry deleted: the store reports the hole by index, the audit stops there.
    sql("DELETE FROM tlog_entry WHERE idx = " + k);
    assertThatThrownBy(() -> auditor().audit(Optional.of(trusted), 0, TransparencyLogTest::recheck))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("log entry " + k + " is missing");
    insertLeaf(k, original);

    // 4. The evidence blob replaced: the entry that records its digest is rejected.
    String digest =
        AuditEntry.fromLeafBytes(original).facts().at("/detail/replay/evidenceSha256").asText();
    byte[] evidence = get("evidence/" + digest, "auditor");
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("UPDATE tlog_evidence SET bytes = ? WHERE sha256 = ?")) {
            ps.setBytes(1, "forged".getBytes(UTF_8));
            ps.setBytes(2, HexFormat.of().parseHex(digest));
            return ps.executeUpdate();
          }
        });
    LogAuditException rejected =
        catchAudit(() -> auditor().audit(Optional.empty(), k, TransparencyLogTest::recheck));
    assertThat(rejected.id()).isEqualTo("audit.entry-rejected");
    assertThat(rejected.entryIndex()).isEqualTo(k);
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("UPDATE tlog_evidence SET bytes = ? WHERE sha256 = ?")) {
            ps.setBytes(1, evidence);
            ps.setBytes(2, HexFormat.of().parseHex(digest));
            return ps.executeUpdate();
          }
        });

    // 4b. The kept policy document replaced: the appraisal no longer replays, and is named.
    String policyDigest =
        AuditEntry.fromLeafBytes(original).facts().at("/detail/replay/policy/sha256").asText();
    byte[] document = get("evidence/" + policyDigest, "auditor");
    replaceBlob(policyDigest, "metadata: {}".getBytes(UTF_8));
    LogAuditException policyGone =
        catchAudit(() -> auditor().audit(Optional.empty(), k, TransparencyLogTest::recheck));
    assertThat(policyGone.entryIndex()).isEqualTo(k);
    assertThat(policyGone.getCause())
        .hasFieldOrPropertyWithValue("id", "audit.replay.blob-mismatch");
    replaceBlob(policyDigest, document);

    // 5. A checkpoint from a forked tree, signed with the log's own key: the auditor who trusted
    // it finds that the served log does not extend it; served instead, the entries miss its root.
    InMemoryLog fork = new InMemoryLog();
    for (long i = 0; i < trusted.size(); i++) {
      fork.append(i == k ? changed : leaf(i));
    }
    SignedNote forked = fork.checkpoint(signer.signer());
    Checkpoint forkedCp = signer.checkpointVerifier().verify(forked);
    LogAuditException inconsistent =
        catchAudit(() -> auditor().audit(Optional.of(forkedCp), 0, TransparencyLogTest::recheck));
    assertThat(inconsistent.id()).isEqualTo("audit.inconsistent");
    byte[] head = db.read(tx -> headCheckpoint(tx));
    setHeadCheckpoint(forked.encode());
    try {
      LogAuditException forkServed =
          catchAudit(() -> auditor().audit(Optional.of(trusted), 0, TransparencyLogTest::recheck));
      assertThat(forkServed.id())
          .isIn("audit.inconsistent", "audit.root-mismatch", "audit.rollback");
    } finally {
      setHeadCheckpoint(head);
    }

    // Restored: the log verifies again and extends the trusted checkpoint.
    assertThat(
            auditor()
                .audit(Optional.of(trusted), 0, TransparencyLogTest::recheck)
                .consistencyChecked())
        .isTrue();
  }

  // --- helpers ---

  /**
   * What arca audit verify checks per entry: the entry parses, and an appraisal re-runs (evidence
   * with the evidence module, each decision with the policy module at the recorded version) from
   * the blobs the service keeps by digest. It appraises with the service's own {@link Appraiser},
   * so the evidence other test classes signed under the test profile's test roots (Nitro) replays
   * as it was appraised.
   */
  static void recheck(long index, byte[] entry) throws TransparencyException {
    AuditEntry e = AuditEntry.fromLeafBytes(entry);
    Appraiser appraiser = Arc.container().instance(Appraiser.class).get();
    REPLAYED[
        new AppraisalReplay(hex -> get("evidence/" + hex, "auditor"), appraiser)
            .replay(e.type(), e.facts().path("outcome").asText(), e.facts().get("detail"))
            .ordinal()]++;
  }

  /** How many entries each {@link AppraisalReplay.Depth} was reached for, across audits. */
  private static final long[] REPLAYED = new long[AppraisalReplay.Depth.values().length];

  private void replaceBlob(String digest, byte[] bytes) {
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("UPDATE tlog_evidence SET bytes = ? WHERE sha256 = ?")) {
            ps.setBytes(1, bytes);
            ps.setBytes(2, HexFormat.of().parseHex(digest));
            return ps.executeUpdate();
          }
        });
  }

  private LogAuditor auditor() {
    return new LogAuditor(path -> get(path, "auditor"), signer.checkpointVerifier());
  }

  private static byte[] get(String path, String user) throws IOException {
    Response r =
        (user == null ? given() : Api.as(user))
            .get("/v1/audit/" + path)
            .then()
            .extract()
            .response();
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode() + ": " + r.asString());
    }
    return r.asByteArray();
  }

  private interface Audit {
    void run() throws Exception;
  }

  private static LogAuditException catchAudit(Audit a) throws Exception {
    try {
      a.run();
    } catch (LogAuditException e) {
      return e;
    }
    throw new AssertionError("the audit passed");
  }

  private void assertNamed(long k, String id) throws Exception {
    LogAuditException e =
        catchAudit(() -> auditor().audit(Optional.empty(), 0, TransparencyLogTest::recheck));
    assertThat(e.id()).isEqualTo(id);
    assertThat(e.entryIndex()).isEqualTo(k);
    assertThat(e.getMessage()).contains("entry " + k);
  }

  private static List<String> hashes(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(h -> out.add(h.asText()));
    return out;
  }

  private static List<String> b64(List<byte[]> l) {
    return l.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
  }

  private long size() {
    return db.read(
        tx -> {
          try (PreparedStatement ps = tx.prepareStatement("SELECT size FROM tlog_head");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private byte[] leaf(long index) {
    return db.read(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("SELECT leaf FROM tlog_entry WHERE idx = ?")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getBytes(1);
            }
          }
        });
  }

  private void setLeaf(long index, byte[] leaf) {
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("UPDATE tlog_entry SET leaf = ? WHERE idx = ?")) {
            ps.setBytes(1, leaf);
            ps.setLong(2, index);
            return ps.executeUpdate();
          }
        });
  }

  private void insertLeaf(long index, byte[] leaf) throws Exception {
    AuditEntry e = AuditEntry.fromLeafBytes(leaf);
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "INSERT INTO tlog_entry (idx, leaf, leaf_hash, type, actor, subject, outcome,"
                      + " logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, now())")) {
            ps.setLong(1, index);
            ps.setBytes(2, leaf);
            ps.setBytes(3, e.leafHash());
            ps.setString(4, e.type());
            ps.setString(5, e.actor());
            ps.setString(6, e.facts().get("subject").asText());
            ps.setString(7, e.facts().get("outcome").asText());
            return ps.executeUpdate();
          }
        });
  }

  private void sql(String statement) {
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps = tx.prepareStatement(statement)) {
            return ps.executeUpdate();
          }
        });
  }

  private static byte[] headCheckpoint(java.sql.Connection tx) throws java.sql.SQLException {
    try (PreparedStatement ps = tx.prepareStatement("SELECT checkpoint FROM tlog_head");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBytes(1);
    }
  }

  private void setHeadCheckpoint(byte[] note) {
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps = tx.prepareStatement("UPDATE tlog_head SET checkpoint = ?")) {
            ps.setBytes(1, note);
            return ps.executeUpdate();
          }
        });
  }
}
