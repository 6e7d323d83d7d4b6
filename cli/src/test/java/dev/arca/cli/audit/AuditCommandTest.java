// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.arca.appraisal.AppraisalRecord;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ArcaPolicyEngine;
import dev.arca.appraisal.CompiledPolicy;
import dev.arca.cli.Arca;
import dev.arca.cli.Progress;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.InMemoryLog;
import dev.arca.transparency.note.Ed25519NoteSigner;
import dev.arca.transparency.tiles.EntryBundle;
import dev.arca.transparency.tiles.EntryBundleId;
import dev.arca.transparency.tiles.TileId;
import dev.arca.transparency.tiles.Tiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca audit verify} over real HTTP against a log served from the library's {@code
 * InMemoryLog} in the layout the service uses (the service itself is tested end to end, with
 * tampering in PostgreSQL, in attestation-service's {@code TransparencyLogTest}). Here: the
 * command's exit codes, output and trusted-checkpoint file.
 */
class AuditCommandTest {
  private static final String ORIGIN = "arca.test/audit-log";
  private final Ed25519NoteSigner key = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
  private final CheckpointSigner signer = new CheckpointSigner(ORIGIN, key);
  private final List<byte[]> served = new ArrayList<>();
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
  private InMemoryLog log = new InMemoryLog();
  private HttpServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    for (int i = 0; i < 300; i++) {
      append(i);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/audit/",
        ex -> {
          String path = ex.getRequestURI().getPath().substring("/v1/audit/".length());
          byte[] body;
          int status = 200;
          try {
            if (path.equals("checkpoint")) {
              body = log.checkpoint(signer).encode();
            } else if (path.equals("vkey")) {
              body = (key.verifier().vkey() + "\n").getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("evidence/")) {
              body = blobs.get(path.substring("evidence/".length()));
              if (body == null) {
                status = 404;
                body = new byte[0];
              }
            } else if (path.startsWith("tile/entries/")) {
              authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
              EntryBundleId id = EntryBundleId.parse(path);
              List<byte[]> entries = new ArrayList<>();
              for (long i = id.firstEntry(); i < id.firstEntry() + id.width(); i++) {
                entries.add(served.get((int) i));
              }
              body = EntryBundle.encode(entries);
            } else if (path.startsWith("tile/")) {
              body = log.tile(TileId.parse(path));
            } else {
              status = 404;
              body = new byte[0];
            }
          } catch (Exception e) {
            status = 404;
            body = e.toString().getBytes(StandardCharsets.UTF_8);
          }
          ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    try {
      server.stop(0);
    } catch (IllegalStateException alreadyStopped) {
      // unreachableServiceIsAnIoError stops it itself.
    }
  }

  private void append(int i) throws Exception {
    byte[] leaf =
        AuditEntry.of(
                "device.enrolled",
                Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i),
                "device-admin",
                Map.of(
                    "subject",
                    "device:d" + i,
                    "outcome",
                    "ok",
                    "detail",
                    Map.of("format", "dev", "identity", "dev:d" + i, "attributes", Map.of())))
            .leafBytes();
    log.append(leaf);
    served.add(leaf);
  }

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void verifiesSavesTheCheckpointAndThenChecksConsistency(@TempDir Path dir) throws Exception {
    Path trusted = dir.resolve("audit.checkpoint");
    String vkey = key.verifier().vkey();
    Run first =
        run(
            "audit",
            "verify",
            "--service",
            url,
            "--vkey",
            vkey,
            "--trusted-checkpoint",
            trusted.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(0);
    assertThat(first.out()).contains("verified at size 300").contains("300 entries checked");
    assertThat(Files.readAllBytes(trusted)).isEqualTo(log.checkpoint(signer).encode());

    append(300);
    Run second =
        run(
            "audit",
            "verify",
            "--service",
            url,
            "--vkey",
            vkey,
            "--trusted-checkpoint",
            trusted.toString(),
            "--from",
            "290");
    assertThat(second.code()).as(second.err()).isEqualTo(0);
    assertThat(second.out()).contains("extends the trusted checkpoint of size 300");
  }

  @Test
  void aChangedEntryFailsWithItsIndex() {
    byte[] changed = served.get(257).clone();
    changed[20] ^= 1;
    served.set(257, changed);
    Run r = run("audit", "verify", "--service", url, "--vkey", key.verifier().vkey());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("FAILED at entry 257:").contains("[audit.entry-mismatch]");
  }

  @Test
  void aForkedHistoryFailsConsistency(@TempDir Path dir) throws Exception {
    Path trusted = dir.resolve("cp");
    String vkey = key.verifier().vkey();
    assertThat(
            run(
                    "audit",
                    "verify",
                    "--service",
                    url,
                    "--vkey",
                    vkey,
                    "--trusted-checkpoint",
                    trusted.toString())
                .code())
        .isZero();
    // The operator rebuilds the log with entry 5 rewritten and signs it with the same key.
    InMemoryLog fork = new InMemoryLog();
    for (int i = 0; i < served.size(); i++) {
      byte[] e = served.get(i);
      if (i == 5) {
        e = e.clone();
        e[20] ^= 1;
        served.set(i, e);
      }
      fork.append(e);
    }
    log = fork;
    Run r =
        run(
            "audit",
            "verify",
            "--service",
            url,
            "--vkey",
            vkey,
            "--trusted-checkpoint",
            trusted.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("[audit.inconsistent]");
  }

  @Test
  void theAuditorTokenComesFromTheLoginProfileNamedWithAs(@TempDir Path config) throws Exception {
    new TokenStore(config)
        .save(
            "hospital-auditor",
            new StoredToken(
                "http://kc/realms/arca",
                "token-of-the-auditor",
                Instant.now().plusSeconds(600),
                "auditor",
                List.of("auditor")));
    System.setProperty("arca.config.dir", config.toString());
    try {
      Run r =
          run(
              "audit",
              "verify",
              "--service",
              url,
              "--vkey",
              key.verifier().vkey(),
              "--as",
              "hospital-auditor");
      assertThat(r.code()).as(r.err()).isZero();
    } finally {
      System.clearProperty("arca.config.dir");
    }
    assertThat(authorizations).isNotEmpty().containsOnly("Bearer token-of-the-auditor");
  }

  @Test
  void aProfileWithoutATokenIsRefusedNamingTheLoginToRun(@TempDir Path config) {
    System.setProperty("arca.config.dir", config.toString());
    try {
      Run r = run("audit", "verify", "--service", url, "--as", "hospital-auditor");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err())
          .startsWith("arca: not logged in as 'hospital-auditor'")
          .contains("arca login");
    } finally {
      System.clearProperty("arca.config.dir");
    }
    assertThat(authorizations).isEmpty();
  }

  @Test
  void aTokenIsNeverTakenFromTheCommandLine() {
    Run r = run("audit", "verify", "--service", url, "--token", "secret-token");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown options: '--token'");
    assertThat(authorizations).isEmpty();
  }

  @Test
  void unreachableServiceIsAnIoError() {
    server.stop(0);
    Run r = run("audit", "verify", "--service", url, "--vkey", key.verifier().vkey());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("arca: ");
  }

  @Test
  void tailOncePrintsTheEntriesAsJsonLines() {
    Run r =
        run(
            "audit",
            "tail",
            "--service",
            url,
            "--vkey",
            key.verifier().vkey(),
            "--from",
            "298",
            "--once");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("{\"index\":298,\"entry\":{");
  }

  /** A small policy: the dev attester may see synthetic data only. */
  private static final String POLICY =
      """
      apiVersion: arca.dev/v1alpha1
      kind: Policy
      metadata:
        name: cli-test
        version: 4
        owner: security@arca.test
      rules:
        - name: synthetic-only
          effect: permit
          when: "data.class == 'synthetic'"
      """;

  /**
   * What the API logs before an appraisal can use it: the device's enrolment, the policy's
   * activation.
   */
  private enum Logged {
    DEVICE,
    POLICY
  }

  /**
   * Appends one appraisal entry recorded the way the service records it, and keeps its blobs; first
   * the entries the API writes when the device is enrolled and the policy activated, for each of
   * {@code logged} (leave one out for state written into the database behind the API's back).
   */
  private void appendAppraisal(Logged... logged) throws Exception {
    Instant now = Instant.parse("2026-11-26T01:00:00Z");
    DevAttester attester = DevAttester.generate();
    byte[] nonce = new byte[32];
    byte[] runtimeKey = new byte[32];
    byte[] measurementLog = new byte[0];
    byte[] evidence =
        attester.attest(
            ReportData.ofLog(nonce, runtimeKey, measurementLog), Map.of("runtime", "aa"), now);
    byte[] enrolment =
        ("{\"publicKey\":\"" + Base64.getEncoder().encodeToString(attester.publicKey()) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    CompiledPolicy policy = new ArcaPolicyEngine().compile(POLICY, "test");
    for (Logged l : logged) {
      appendEntry(
          now.minusSeconds(30),
          l == Logged.DEVICE ? "device.enrolled" : "policy.activated",
          l == Logged.DEVICE ? "device:edge-9" : "policy:cli-test@4",
          l == Logged.DEVICE
              ? Map.of(
                  "format",
                  "dev",
                  "identity",
                  DevVerifier.deviceIdentity(attester.publicKey()),
                  "attributes",
                  Map.of(),
                  "enrolmentSha256",
                  hex(enrolment))
              : Map.of("digest", policy.sha256()));
    }
    AppraisalRecord.Device device =
        new AppraisalRecord.Device(
            "edge-9",
            "dev",
            DevVerifier.deviceIdentity(attester.publicKey()),
            hex(enrolment),
            Map.of(),
            now.minusSeconds(60));
    AppraisalRecord.Builder record =
        new AppraisalRecord.Builder("dev", now)
            .inputs(
                hex(evidence),
                Base64.getEncoder().encodeToString(nonce),
                Base64.getEncoder().encodeToString(runtimeKey),
                hex(measurementLog))
            .keep(measurementLog)
            .device(device)
            .policy(new AppraisalRecord.PolicyRef("cli-test", 4, policy.sha256()));
    Appraiser appraiser = Appraiser.builtin();
    Appraiser.Appraised appraised =
        appraiser.appraise(
            new Appraiser.Inputs("dev", evidence, nonce, runtimeKey, measurementLog),
            new Appraiser.Enrolled(device, new ObjectMapper().readTree(enrolment)),
            List.of(),
            policy,
            now,
            record);
    appraiser.decide(
        policy,
        appraised,
        device,
        new AppraisalRecord.Model("triage", 2, List.of("synthetic"), "publisher"),
        "synthetic",
        "x",
        now,
        record);
    record.blobs().forEach(b -> blobs.put(hexUnchecked(b), b));
    blobs.put(hex(evidence), evidence);
    blobs.put(hex(enrolment), enrolment);
    blobs.put(policy.sha256(), POLICY.getBytes(StandardCharsets.UTF_8));
    appendEntry(
        now, "attestation.appraised", "device:edge-9", Map.of("replay", record.build().toJson()));
  }

  private void appendEntry(Instant time, String type, String subject, Map<String, ?> detail)
      throws Exception {
    byte[] leaf =
        AuditEntry.of(
                type,
                time,
                type.startsWith("attestation.") ? subject : "admin",
                Map.of(
                    "subject",
                    subject,
                    "outcome",
                    type.startsWith("attestation.") ? "permit" : "ok",
                    "detail",
                    detail))
            .leafBytes();
    log.append(leaf);
    served.add(leaf);
  }

  private static String hexUnchecked(byte[] b) {
    return HexFormat.of().formatHex(ReportData.sha256().digest(b));
  }

  private static String hex(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void reRunsAppraisalsAndNamesTheOneWhosePolicyDocumentWasSwapped() throws Exception {
    appendAppraisal(Logged.DEVICE, Logged.POLICY);
    String vkey = key.verifier().vkey();
    Run ok = run("audit", "verify", "--service", url, "--vkey", vkey);
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("re-verified: 1 appraisals");

    // The operator swaps the kept policy document for a more permissive one.
    blobs.replaceAll(
        (k, v) ->
            new String(v, StandardCharsets.UTF_8).startsWith("apiVersion")
                ? POLICY.replace("'synthetic'", "'phi'").getBytes(StandardCharsets.UTF_8)
                : v);
    Run bad = run("audit", "verify", "--service", url, "--vkey", vkey);
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err())
        .startsWith("FAILED at entry 302:")
        .contains("audit.replay.blob-mismatch")
        .contains("[audit.entry-rejected]");
  }

  @Test
  void anAppraisalOfADeviceInsertedOutsideTheApiFailsNamingTheEntry() throws Exception {
    appendAppraisal(Logged.POLICY);
    Run r = run("audit", "verify", "--service", url, "--vkey", key.verifier().vkey());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("FAILED at entry 301:")
        .contains("audit.replay.device-not-logged")
        .contains("device 'edge-9' was never enrolled");
  }

  @Test
  void anAppraisalUnderAPolicyActivatedOutsideTheApiFailsNamingTheEntry() throws Exception {
    appendAppraisal(Logged.DEVICE);
    Run r = run("audit", "verify", "--service", url, "--vkey", key.verifier().vkey());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("FAILED at entry 301:")
        .contains("audit.replay.policy-not-logged")
        .contains("policy cli-test@4");
  }

  /**
   * {@code arca audit export} and {@code arca audit verify --export}: the export is taken from the
   * served log, the service is then stopped, and the folder is verified (and tampered with)
   * offline.
   */
  @Nested
  class Offline {
    @TempDir Path dir;
    Path export;
    Run online;

    @BeforeEach
    void exportAndStop() throws Exception {
      appendAppraisal(Logged.DEVICE, Logged.POLICY);
      online = run("audit", "verify", "--service", url, "--vkey", key.verifier().vkey());
      assertThat(online.code()).as(online.err()).isZero();
      export = dir.resolve("hospital-export");
      Run exported =
          run(
              "audit",
              "export",
              "--service",
              url,
              "--vkey",
              key.verifier().vkey(),
              "--to",
              export.toString());
      assertThat(exported.code()).as(exported.err()).isZero();
      assertThat(exported.out()).contains("exported at size 303").contains("4 kept blobs");
      server.stop(0); // from here on nothing can come from the service
    }

    private Run verifyOffline(String... more) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "audit",
                  "verify",
                  "--export",
                  export.toString(),
                  "--vkey",
                  key.verifier().vkey()));
      args.addAll(List.of(more));
      return run(args.toArray(String[]::new));
    }

    @Test
    void verifiesOfflineWithTheSameRootAndCountsAsOnline() throws Exception {
      Run r = verifyOffline();
      assertThat(r.code()).as(r.err()).isZero();
      String root = online.out().lines().findFirst().orElseThrow();
      assertThat(r.out().lines().findFirst().orElseThrow()).startsWith(root + " (from the export");
      assertThat(r.out())
          .contains("303 entries checked from index 0")
          .contains("re-verified: 1 appraisals");
      assertThat(export.resolve("vkey")).doesNotExist();
      assertThat(export.resolve("checkpoint")).hasBinaryContent(log.checkpoint(signer).encode());
      assertThat(Files.getPosixFilePermissions(export))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void anExportMustExtendTheAuditorsEarlierCheckpointAndCanStartLater() throws Exception {
      // The auditor's checkpoint of size 300, from an online run before the appraisal.
      InMemoryLog earlier = new InMemoryLog();
      for (int i = 0; i < 300; i++) {
        earlier.append(served.get(i));
      }
      Path trusted = dir.resolve("audit.checkpoint");
      Files.write(trusted, earlier.checkpoint(signer).encode());
      Run r = verifyOffline("--trusted-checkpoint", trusted.toString(), "--from", "290");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("13 entries checked from index 290")
          .contains("extends the trusted checkpoint of size 300");
      assertThat(trusted).hasBinaryContent(log.checkpoint(signer).encode());
    }

    @Test
    void aChangedByteInAnEntryBundleFailsNamingTheEntry() throws Exception {
      Path bundle = export.resolve(Tiles.bundleFor(257, 303).path());
      List<byte[]> entries =
          new ArrayList<>(
              EntryBundle.decode(Tiles.bundleFor(257, 303), Files.readAllBytes(bundle)));
      byte[] changed = entries.get(1).clone();
      changed[20] ^= 1;
      entries.set(1, changed);
      Files.write(bundle, EntryBundle.encode(entries));
      Run r = verifyOffline();
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("FAILED at entry 257:").contains("[audit.entry-mismatch]");
    }

    @Test
    void aRemovedOrChangedEvidenceBlobFailsTheAppraisal() throws Exception {
      Path evidence = keptEvidence();
      byte[] original = Files.readAllBytes(evidence);
      Files.delete(evidence);
      Run removed = verifyOffline();
      assertThat(removed.code()).isEqualTo(1);
      assertThat(removed.err())
          .startsWith("FAILED at entry 302:")
          .contains("audit.replay.blob-missing")
          .contains("the export has no evidence/");

      original[original.length - 1] ^= 1;
      Files.write(evidence, original);
      Run changed = verifyOffline();
      assertThat(changed.code()).isEqualTo(1);
      assertThat(changed.err())
          .startsWith("FAILED at entry 302:")
          .contains("audit.replay.blob-mismatch");
    }

    /**
     * The one kept blob that is neither the enrolment, the policy document nor the measurement log:
     * the evidence.
     */
    private Path keptEvidence() throws Exception {
      try (var files = Files.list(export.resolve("evidence"))) {
        List<Path> all = files.toList();
        assertThat(all).hasSize(4);
        for (Path p : all) {
          String text = Files.readString(p, StandardCharsets.ISO_8859_1);
          if (!text.isEmpty() // the (empty) measurement log
              && !text.startsWith("{\"publicKey\"")
              && !text.startsWith("apiVersion")) {
            return p;
          }
        }
      }
      throw new AssertionError("no evidence blob in the export");
    }

    @Test
    void aCheckpointSignedByAnotherKeyFails() throws Exception {
      Ed25519NoteSigner forger = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
      Files.write(
          export.resolve("checkpoint"),
          log.checkpoint(new CheckpointSigner(ORIGIN, forger)).encode());
      Run r = verifyOffline();
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("FAILED: ").contains("[note.");
      assertThat(r.out()).isEmpty();
    }

    @Test
    void aFileMissingFromTheExportFailsNamingIt() throws Exception {
      Files.delete(export.resolve("tile/1/000.p/1"));
      Run r = verifyOffline("--from", "290");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip())
          .isEqualTo(
              "FAILED: the export is incomplete: it has no tile/1/000.p/1"
                  + " [audit.export-incomplete]");
    }

    @Test
    void withoutVkeyTheExportIsRefusedSayingWhereTheKeyComesFrom() {
      Run r = run("audit", "verify", "--export", export.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err())
          .startsWith("arca: --vkey is required with --export: an export cannot vouch for itself")
          .contains("/v1/audit/vkey");
    }

    @Test
    void exportAndServiceAreExclusive() {
      Run r =
          run(
              "audit",
              "verify",
              "--export",
              export.toString(),
              "--service",
              url,
              "--vkey",
              key.verifier().vkey());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("cannot be combined with --service or --as");
    }

    @Test
    void progressIsShownWhenForcedAndOtherwiseNot() {
      System.setProperty(Progress.MODE_PROPERTY, "always");
      Run shown;
      try {
        shown = verifyOffline();
      } finally {
        System.clearProperty(Progress.MODE_PROPERTY);
      }
      assertThat(shown.code()).as(shown.err()).isZero();
      assertThat(shown.err()).contains("\r  verifying [").contains("100% of 303 entries");

      System.setProperty(Progress.MODE_PROPERTY, "never");
      Run quiet;
      try {
        quiet = verifyOffline();
      } finally {
        System.clearProperty(Progress.MODE_PROPERTY);
      }
      assertThat(quiet.code()).isZero();
      assertThat(quiet.err()).doesNotContain("verifying");
      assertThat(quiet.out()).isEqualTo(shown.out());
    }
  }

  @Test
  void exportShowsProgressAndRefusesAFolderThatIsNotEmpty(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("export");
    System.setProperty(Progress.MODE_PROPERTY, "always");
    Run r;
    try {
      r = run("audit", "export", "--service", url, "--to", target.toString());
    } finally {
      System.clearProperty(Progress.MODE_PROPERTY);
    }
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("exporting [").contains("100% of 300 entries");

    Run again = run("audit", "export", "--service", url, "--to", target.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("is not an empty folder");
  }

  @Test
  void aLogThatDoesNotVerifyIsNotExported(@TempDir Path dir) throws Exception {
    byte[] changed = served.get(3).clone();
    changed[20] ^= 1;
    served.set(3, changed);
    Path target = dir.resolve("export");
    Run r =
        run(
            "audit",
            "export",
            "--service",
            url,
            "--vkey",
            key.verifier().vkey(),
            "--to",
            target.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("FAILED at entry 3:").contains("nothing exported");
    try (var left = Files.list(dir)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void fromALaterEntryTheStateBeforeItIsCountedNotFailed() throws Exception {
    appendAppraisal(Logged.DEVICE, Logged.POLICY);
    Run r =
        run("audit", "verify", "--service", url, "--vkey", key.verifier().vkey(), "--from", "302");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1 appraisals name a device, policy or reference set recorded before entry 302");
  }
}
