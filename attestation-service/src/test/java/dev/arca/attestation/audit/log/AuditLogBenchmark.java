// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.attestation.storage.EmbeddedPostgres;
import dev.arca.bench.Figure;
import dev.arca.crypto.Sha256;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.note.Ed25519NoteSigner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Benchmark of the transparency log's append path (not a unit test; run it by hand, see
 * docs/benchmarks.md "audit log: group commit"). One embedded PostgreSQL (the service's own
 * launcher, fsync on), the service's V20 schema, and in the same run, with the same number of
 * concurrent writers and the same entries (an {@code attestation.appraised} entry with a replay
 * record, about 1.5 KB, plus a 600-byte evidence blob):
 *
 * <ol>
 *   <li>baseline: each writer does plain single-row INSERTs with auto-commit (one commit each);
 *   <li>sequencer: each writer appends through {@link LogSequencer} (group commit; Merkle nodes,
 *       checkpoint signing and receipts included);
 *   <li>attestation-shaped: each writer opens its own transaction, writes a decision row, appends
 *       through the sequencer, waits for the entry's commit, then commits — the service's order.
 * </ol>
 *
 * Then inclusion-proof serving as the service's proof endpoint reads it ({@link PgLogReader}: log
 * size + proof nodes), p50/p99 over random indexes. Arguments: writers (default 32), seconds per
 * phase (default 10).
 */
public final class AuditLogBenchmark {

  public static void main(String[] args) throws Exception {
    int writers = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("arca-log-bench-");
    EmbeddedPostgres pg = EmbeddedPostgres.start(dir, true);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(pg.jdbcUrl());
    ds.setUser(pg.username());
    ds.setPassword(pg.password());
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        InputStream in =
            AuditLogBenchmark.class.getResourceAsStream(
                "/db/migration/V20__transparency_log.sql")) {
      st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      st.execute(
          "CREATE TABLE bench_plain (id BIGSERIAL PRIMARY KEY, leaf BYTEA NOT NULL,"
              + " leaf_hash BYTEA NOT NULL)");
      st.execute(
          "CREATE TABLE bench_decision (id BIGSERIAL PRIMARY KEY, device TEXT NOT NULL,"
              + " decided_at TIMESTAMPTZ NOT NULL)");
    }
    CheckpointSigner signer =
        new CheckpointSigner(
            "arca.bench/audit-log",
            Ed25519NoteSigner.generate("arca.bench/audit-log", new SecureRandom()));
    LogSequencer sequencer = new LogSequencer(ds, signer, 512);

    run("warm-up", writers, Math.max(2, seconds / 3), ds, (c, i) -> sequencer.append(entry(i)));
    Result plain =
        run(
            "plain",
            writers,
            seconds,
            ds,
            (c, i) -> {
              LogSequencer.Submission s = entry(i);
              c.setAutoCommit(true);
              try (PreparedStatement ps =
                  c.prepareStatement("INSERT INTO bench_plain (leaf, leaf_hash) VALUES (?, ?)")) {
                ps.setBytes(1, s.entry().leafBytes());
                ps.setBytes(2, s.entry().leafHash());
                ps.executeUpdate();
              }
            });
    long checkpointsBefore = count(ds, "tlog_checkpoint");
    long sizeBefore = count(ds, "tlog_entry");
    Result sequenced = run("sequencer", writers, seconds, ds, (c, i) -> sequencer.append(entry(i)));
    long batches = count(ds, "tlog_checkpoint") - checkpointsBefore;
    long appended = count(ds, "tlog_entry") - sizeBefore;
    Result shaped =
        run(
            "attestation-shaped",
            writers,
            seconds,
            ds,
            (c, i) -> {
              c.setAutoCommit(false);
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO bench_decision (device, decided_at) VALUES (?, now())")) {
                ps.setString(1, "bench-" + i);
                ps.executeUpdate();
              }
              sequencer.append(entry(i));
              c.commit();
            });
    sequencer.stop();

    long size;
    long[] proofNanos = new long[5000];
    try (Connection c = ds.getConnection()) {
      PgLogReader r = new PgLogReader(c);
      size = r.size();
      for (int i = 0; i < 500; i++) { // warm-up
        r.inclusionProof(ThreadLocalRandom.current().nextLong(size), r.size());
      }
      for (int i = 0; i < proofNanos.length; i++) {
        long t0 = System.nanoTime();
        long n = r.size();
        r.inclusionProof(ThreadLocalRandom.current().nextLong(n), n);
        proofNanos[i] = System.nanoTime() - t0;
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*), max(idx) FROM tlog_entry");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != size || rs.getLong(2) != size - 1) {
          throw new IllegalStateException("the log has gaps: " + rs.getLong(1) + " rows");
        }
      }
    }
    Arrays.sort(proofNanos);

    System.out.printf(
        "machine: %d cores, JDK %s; %d concurrent writers; %d s per phase; log size %d%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        writers,
        seconds,
        size);
    System.out.println(plain.line("plain single-row INSERT, auto-commit (baseline)"));
    System.out.println(sequenced.line("log append via sequencer (group commit)"));
    System.out.println(shaped.line("decision tx + log append + commit"));
    System.out.printf(
        "sequencer: %.1f entries per commit on average (%d entries in %d batches)%n",
        appended / (double) Math.max(1, batches), appended, batches);
    System.out.printf(
        "ratios: sequencer / plain = %.2f, attestation-shaped / plain = %.2f%n",
        sequenced.perSecond() / plain.perSecond(), shaped.perSecond() / plain.perSecond());
    System.out.printf(
        "inclusion proof (size + proof from PostgreSQL, as GET /v1/audit/proof/inclusion reads"
            + " it): p50 %.3f ms, p99 %.3f ms%n",
        proofNanos[proofNanos.length / 2] / 1e6, proofNanos[proofNanos.length * 99 / 100] / 1e6);
    Figure.of(
            "log appends/s via the sequencer",
            sequenced.perSecond(),
            "/s",
            "plain INSERT",
            plain.perSecond() / sequenced.perSecond(),
            "value>=2000")
        .print();
    Figure.of(
            "inclusion proof p50, log of " + size,
            proofNanos[proofNanos.length / 2] / 1e6,
            "ms",
            "-",
            Double.NaN,
            "value<=1")
        .print();
    System.exit(0); // the embedded server stops in its shutdown hook
  }

  private static final byte[] PADDING = new byte[600];

  /** An appraisal entry shaped like the service's, with a unique evidence blob. */
  static LogSequencer.Submission entry(long i) throws Exception {
    byte[] evidence = PADDING.clone();
    ThreadLocalRandom.current().nextBytes(evidence);
    String digest = java.util.HexFormat.of().formatHex(Sha256.hash(evidence));
    Map<String, Object> replay = new LinkedHashMap<>();
    replay.put("format", "dev");
    replay.put("evidenceSha256", digest);
    replay.put("verifiedAt", Instant.now().toString());
    replay.put("nonce", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=");
    replay.put("runtimePublicKey", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    replay.put("measurementLogSha256", digest);
    replay.put(
        "device",
        Map.of(
            "id",
            "bench-" + i,
            "format",
            "dev",
            "identity",
            "dev:" + digest.substring(0, 32),
            "enrolmentSha256",
            digest,
            "attributes",
            Map.of("class", "bench"),
            "enrolledAt",
            "2026-11-26T00:00:00Z"));
    replay.put(
        "appraisal",
        Map.of("status", "warning", "trustVector", Map.of("instance-identity", 2, "hardware", 32)));
    replay.put("referenceSets", List.of());
    replay.put("policy", Map.of("name", "service-test", "version", 1, "sha256", digest));
    replay.put(
        "decisions",
        List.of(
            Map.of(
                "model", "bench-model",
                "version", 1,
                "modelDataClasses", List.of("synthetic"),
                "publisher", "model-publisher",
                "dataClass", "synthetic",
                "purpose", "inference",
                "permitted", true,
                "rules", List.of("synthetic-on-any-enrolled-device"),
                "reason", "permitted")));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("format", "dev");
    detail.put("evidenceSha256", digest);
    detail.put("policy", "service-test@1");
    detail.put("status", "warning");
    detail.put("grants", List.of(Map.of("grantId", java.util.UUID.randomUUID().toString())));
    detail.put("replay", replay);
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("subject", "device:bench-" + i);
    facts.put("outcome", "permit");
    facts.put("detail", detail);
    AuditEntry e =
        AuditEntry.of("attestation.appraised", Instant.now(), "device:bench-" + i, facts);
    return new LogSequencer.Submission(
        e, "device:bench-" + i, "permit", List.of(evidence), List.of(Sha256.hash(evidence)));
  }

  interface Op {
    void call(Connection c, long i) throws Exception;
  }

  record Result(long count, long errors, double seconds, long[] latencies) {
    double perSecond() {
      return count / seconds;
    }

    String line(String name) {
      return String.format(
          "%-50s %8.0f entries/s  p50 %6.2f ms  p99 %6.2f ms  (%d ok, %d errors)",
          name,
          perSecond(),
          latencies[latencies.length / 2] / 1e6,
          latencies[(int) Math.min(latencies.length - 1, latencies.length * 0.99)] / 1e6,
          count,
          errors);
    }
  }

  static Result run(String name, int writers, int seconds, PGSimpleDataSource ds, Op op)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong errors = new AtomicLong();
    AtomicLong ids = new AtomicLong();
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[1 << 18];
                int n = 0;
                try (Connection c = ds.getConnection()) {
                  while (System.nanoTime() < end && n < lat.length) {
                    long t0 = System.nanoTime();
                    try {
                      op.call(c, ids.incrementAndGet());
                      lat[n++] = System.nanoTime() - t0;
                    } catch (Exception e) {
                      if (errors.incrementAndGet() == 1) {
                        System.err.println(name + ": " + e);
                      }
                      if (!c.getAutoCommit()) {
                        c.rollback();
                      }
                    }
                  }
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      all.add(f.get());
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(
        merged.length, errors.get(), elapsed, merged.length == 0 ? new long[] {0} : merged);
  }

  private static long count(PGSimpleDataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
