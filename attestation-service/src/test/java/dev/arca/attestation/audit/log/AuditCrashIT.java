// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.attestation.storage.EmbeddedPostgres;
import dev.arca.attestation.storage.PasswordFile;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakServer;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.LogAuditor;
import dev.arca.transparency.log.Receipt;
import dev.arca.transparency.note.Ed25519NoteVerifier;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash test of the audit log's promise "no key is released without its committed entry", on the
 * packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a real child process with its
 * embedded PostgreSQL, a real Keycloak, and the same data directory across restarts.
 *
 * <ol>
 *   <li>Precise crash point: the child runs with {@code
 *       arca.audit.test.halt-after-appraisal-commit=true} — a test-only switch, off by default — so
 *       it halts (no shutdown hooks, like SIGKILL) right after the appraisal's entry commits and
 *       before the grant's transaction commits. The device gets no answer. PostgreSQL is then
 *       killed too (a host crash), and the service restarts on the same data directory.
 *   <li>No hook: devices attest in parallel and the child is SIGKILLed mid-load.
 * </ol>
 *
 * After each restart: every grant row has its entry, every key a device received is in the entry
 * its receipt names, and {@code arca audit verify}'s checks (signature, tiles, root, appraisal
 * replay) pass.
 */
class AuditCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private final List<Process> started = new ArrayList<>();
  private Path data;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    if (data != null) {
      killPostgres();
      try (Stream<Path> paths = Files.walk(data)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aCrashBetweenEntryAndGrantNeverLeavesAReleasedKeyWithoutItsEntry() throws Exception {
    assertThat(JAR).as("package the service first (mvn package)").isRegularFile();
    data = Files.createTempDirectory("arca-crash-");

    // 1. Crash point armed: set up, then one attestation; the child halts after the entry.
    Process first = startService(true);
    DevDevice device = new DevDevice("crash-1");
    device.enrol(Map.of("class", "crash"));
    publishModel();
    TestPolicy.activate();
    long sizeBefore = logSize();
    boolean answered;
    try {
      answered = attest(device).statusCode() == 200;
    } catch (Exception noAnswer) {
      answered = false; // the connection died with the process
    }
    assertThat(answered).as("the device must not get its key").isFalse();
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as("halted at the crash point").isEqualTo(86);
    killPostgres();

    // Restarted on the same data directory: the entry is there (committed first); its grant is
    // not (never committed), so the log may over-report a decision, never miss a released key.
    startService(false);
    long size = logSize();
    assertThat(size).isGreaterThan(sizeBefore);
    AuditEntry last = entry(size - 1);
    assertThat(last.type()).isEqualTo("attestation.appraised");
    String crashedGrant = last.facts().at("/detail/grants/0/grantId").asText();
    assertThat(grantRows()).doesNotContain(crashedGrant);
    assertEveryGrantRowHasItsEntry();
    verifyLog();
    // The service works again, and the same device attests.
    assertThat(attest(device).statusCode()).isEqualTo(200);
    assertThat(grantRows()).hasSize(1);
    assertEveryGrantRowHasItsEntry();

    // 2. No hook: SIGKILL while devices attest in parallel.
    List<DevDevice> fleet = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      DevDevice d = new DevDevice("crash-load-" + i);
      d.enrol(Map.of("class", "crash"));
      fleet.add(d);
    }
    Process loaded = started.get(started.size() - 1);
    ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(fleet.size());
    for (DevDevice d : fleet) {
      // The loop stops on the flag; the pool's shutdown, not the futures, ends it.
      var unused =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  try {
                    Response r = attest(d);
                    if (r.statusCode() == 200) {
                      received.add(JSON.readTree(r.asString()));
                    }
                  } catch (Exception dead) {
                    return;
                  }
                }
              });
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (received.size() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    loaded.destroyForcibly(); // SIGKILL, mid-load
    loaded.waitFor(30, TimeUnit.SECONDS);
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(60, TimeUnit.SECONDS);
    killPostgres();
    assertThat(received).hasSizeGreaterThanOrEqualTo(20);

    startService(false);
    for (JsonNode answer : received) {
      // The key the device holds is in the committed entry its receipt points at.
      Receipt receipt = Receipt.fromJson(answer.get("auditReceipt"));
      AuditEntry e = entry(receipt.index());
      receipt.verify(e.leafBytes(), checkpointVerifier());
      assertThat(e.facts().at("/detail/grants/0/grantId").asText())
          .isEqualTo(answer.at("/grants/0/grantId").asText());
    }
    assertThat(grantRows()).hasSizeGreaterThan(received.size());
    assertEveryGrantRowHasItsEntry();
    verifyLog();
  }

  // --- the child service ---

  private Process startService(boolean haltAfterAppraisalCommit) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx384m");
    cmd.add("-Darca.data-dir=" + data);
    cmd.add("-Dquarkus.http.host=127.0.0.1");
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-Dquarkus.oidc.auth-server-url=" + KeycloakServer.shared().realmUrl());
    cmd.add("-Darca.audit.test.halt-after-appraisal-commit=" + haltAfterAppraisalCommit);
    // The packaged service starts in production mode; this test's devices are dev-attested.
    cmd.add("-Darca.formats.dev.enabled=true");
    cmd.add("-jar");
    cmd.add(JAR.toString());
    Path log = data.resolve("service-" + started.size() + ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    RestAssured.port = port;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("service exited; see " + log).isTrue();
      try {
        if (given().get("/v1/ping").statusCode() == 200) {
          return p;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new AssertionError("service did not start; see " + log);
  }

  /** Kills the embedded PostgreSQL the halted service left behind, as a host crash would. */
  private void killPostgres() throws Exception {
    Path pid = data.resolve("postgres/postmaster.pid");
    if (!Files.exists(pid)) {
      return;
    }
    long id = Long.parseLong(Files.readAllLines(pid).get(0).trim());
    Optional<ProcessHandle> pg = ProcessHandle.of(id);
    if (pg.isPresent()) {
      pg.get().descendants().forEach(ProcessHandle::destroyForcibly);
      pg.get().destroyForcibly();
      pg.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private Connection database() throws Exception {
    List<String> pid = Files.readAllLines(data.resolve("postgres/postmaster.pid"));
    String role = EmbeddedPostgres.APPLICATION_ROLE;
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/postgres",
        role,
        PasswordFile.read(EmbeddedPostgres.passwordFile(data, role)).orElseThrow());
  }

  // --- requests ---

  private static Response attest(DevDevice d) {
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(model("crash-model", "synthetic"))))
        .post("/v1/attestations");
  }

  private static void publishModel() {
    TestModels.publish(TestModels.seal("crash-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
  }

  private static byte[] get(String path) throws IOException {
    Response r = Api.as("auditor").get("/v1/audit/" + path);
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode());
    }
    return r.asByteArray();
  }

  private static CheckpointVerifier checkpointVerifier() throws Exception {
    String vkey = new String(get("vkey"), StandardCharsets.UTF_8).trim();
    return new CheckpointVerifier(
        vkey.substring(0, vkey.indexOf('+')), List.of(Ed25519NoteVerifier.parse(vkey)));
  }

  private long logSize() throws Exception {
    return checkpointVerifier().verify(get("checkpoint")).size();
  }

  private AuditEntry entry(long index) throws Exception {
    try (Connection c = database();
        PreparedStatement ps = c.prepareStatement("SELECT leaf FROM tlog_entry WHERE idx = ?")) {
      ps.setLong(1, index);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("entry " + index).isTrue();
        return AuditEntry.fromLeafBytes(rs.getBytes(1));
      }
    }
  }

  private Set<String> grantRows() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = database();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM key_grant");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private void assertEveryGrantRowHasItsEntry() throws Exception {
    Set<String> logged = new HashSet<>();
    try (Connection c = database();
        PreparedStatement ps =
            c.prepareStatement("SELECT leaf FROM tlog_entry WHERE type = 'attestation.appraised'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        AuditEntry.fromLeafBytes(rs.getBytes(1))
            .facts()
            .at("/detail/grants")
            .forEach(g -> logged.add(g.path("grantId").asText()));
      }
    }
    assertThat(logged).containsAll(grantRows());
  }

  /** What {@code arca audit verify} checks, over HTTP, with the appraisal replay. */
  private void verifyLog() throws Exception {
    AppraisalReplay replay = new AppraisalReplay(hex -> get("evidence/" + hex));
    LogAuditor.Result r =
        new LogAuditor(AuditCrashIT::get, checkpointVerifier())
            .audit(
                Optional.empty(),
                0,
                (index, leaf) -> {
                  AuditEntry e = AuditEntry.fromLeafBytes(leaf);
                  replay.replay(
                      e.type(), e.facts().path("outcome").asText(), e.facts().get("detail"));
                });
    assertThat(r.entriesChecked()).isEqualTo(logSize());
  }
}
