// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import static dev.arca.attestation.bench.AttestationLoadBenchmark.JSON;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.awaitUp;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.check;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.get;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.post;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.run;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.startService;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.token;

import dev.arca.attestation.audit.log.PgLogReader;
import dev.arca.attestation.bench.AttestationLoadBenchmark.Result;
import dev.arca.attestation.bench.AttestationLoadBenchmark.Sim;
import dev.arca.attestation.storage.EmbeddedPostgres;
import dev.arca.attestation.storage.PasswordFile;
import dev.arca.attestation.testing.KeycloakServer;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.bench.Figure;
import dev.arca.devstack.RunningKeycloak;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Is the cost of an attestation flat as the fleet grows? The attestation load of {@link
 * AttestationLoadBenchmark} (the packaged service, embedded PostgreSQL, real Keycloak) measured
 * three times in one run, each as service CPU per attestation (its JVM and its PostgreSQL):
 *
 * <ol>
 *   <li>small: the benchmark's own devices, a policy of 100 rules, the log the warm-up leaves;
 *   <li>the same with a policy of 10,000 rules (one activation);
 *   <li>then with 1,000,000 more devices and 10,000,000 more log entries, filled into PostgreSQL by
 *       {@link FleetFill} while the service is stopped, and sealed by the operator's adoption (a
 *       start with {@code ARCA_STATE_ADOPT_ROWS=true}).
 * </ol>
 *
 * Also the inclusion proof's p50 as the endpoint reads it from PostgreSQL, before and after the
 * fill, and over HTTP ({@code GET /v1/audit/proof/inclusion}, beside {@code GET /v1/ping}) in each
 * phase; and the storage per log entry. Arguments: concurrent devices (16), seconds per phase (20),
 * fleet devices (1,000,000), policy rules (10,000), log entries (10,000,000).
 */
public final class FleetScaleBenchmark {
  private static final int SMALL_RULES = 100;
  private static final int PROOFS = 2000;

  private FleetScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int concurrent = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int fleet = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    int rules = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    long entries = args.length > 4 ? Long.parseLong(args[4]) : 10_000_000L;
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build first: ./mvnw -pl attestation-service -am package");
    }
    RunningKeycloak kc = KeycloakServer.shared();
    Path data = Files.createTempDirectory("arca-bench-fleet-");
    int port = 18000 + (int) (ProcessHandle.current().pid() % 1000);
    String base = "http://127.0.0.1:" + port;
    Process service = startService(jar, kc, data, port);
    try {
      awaitUp(base + "/v1/ping");
      List<Sim> sims = setUp(kc, base, concurrent);
      Phase small = Phase.measure("small", base, sims, seconds, service, data);
      activatePolicy(base, token(kc, "policy-admin"), rules);
      Phase manyRules =
          Phase.measure(String.format("%,d rules", rules), base, sims, seconds, service, data);

      stop(service);
      Fill fill = Fill.into(data, sims.get(0).id, fleet, entries);
      long adoptStart = System.nanoTime();
      service = startService(jar, kc, data, port, Map.of("ARCA_STATE_ADOPT_ROWS", "true"));
      awaitUp(base + "/v1/ping");
      double adoptSeconds = (System.nanoTime() - adoptStart) / 1e9;
      Phase large = Phase.measure("large", base, sims, seconds, service, data);

      System.out.printf(
          "filled %,d devices and %,d log entries in %.0f s; start with adoption %.0f s%n",
          fleet, entries, fill.seconds, adoptSeconds);
      for (Phase p : List.of(small, manyRules, large)) {
        System.out.println(p.line());
      }
      Figure.of(
              "attestation CPU, " + concurrent + " devices, " + SMALL_RULES + " rules",
              small.cpuMillis,
              "ms",
              "-",
              Double.NaN,
              "-")
          .print();
      Figure.of(
              String.format("attestation CPU with %,d rules", rules),
              manyRules.cpuMillis,
              "ms",
              SMALL_RULES + " rules",
              manyRules.cpuMillis / small.cpuMillis,
              "ratio<=1.2")
          .print();
      Figure.of(
              String.format(
                  "attestation CPU with %,d devices, %,d rules, %,d log entries",
                  fleet, rules, large.logSize),
              large.cpuMillis,
              "ms",
              "small fleet",
              large.cpuMillis / small.cpuMillis,
              "ratio<=1.2")
          .print();
      Figure.of(
              String.format("inclusion proof p50 at %,d entries (store)", fill.sizeAfter),
              fill.proofP50After,
              "ms",
              String.format("at %,d entries", fill.sizeBefore),
              fill.proofP50After / fill.proofP50Before,
              "value<=1.0")
          .print();
      Figure.of(
              String.format("inclusion proof p50 at %,d entries (HTTP)", large.logSize),
              large.proofP50Millis,
              "ms",
              "GET /v1/ping p50",
              large.proofP50Millis / large.pingP50Millis,
              "-")
          .print();
      Figure.of(
              "storage per log entry (entry, tree, indexes)",
              fill.bytesPerEntry,
              "B",
              "-",
              Double.NaN,
              "-")
          .print();
    } finally {
      stop(service);
      kc.close();
      // Ten million entries are some 25 GB.
      AttestationLoadBenchmark.deleteTree(data);
    }
  }

  /** Enrols the simulated devices, trusts the publisher, publishes the model, 100 rules. */
  private static List<Sim> setUp(RunningKeycloak kc, String base, int concurrent) throws Exception {
    List<Sim> sims = AttestationLoadBenchmark.enrol(base, token(kc, "device-admin"), concurrent);
    String admin = token(kc, "policy-admin");
    AttestationLoadBenchmark.trustPublisher(base, admin);
    AttestationLoadBenchmark.publish(
        base,
        token(kc, "model-publisher"),
        TestModels.seal("bench-model", 1, List.of("synthetic"), 4096));
    activatePolicy(base, admin, SMALL_RULES);
    return sims;
  }

  /** Uploads and activates {@code fleet-<rules>} ({@link TestPolicy#fleet}). */
  static void activatePolicy(String base, String admin, int rules) throws Exception {
    String name = "fleet-" + rules;
    post(
        base + "/v1/policies",
        admin,
        "application/yaml",
        TestPolicy.fleet(name, rules).getBytes(StandardCharsets.UTF_8),
        201);
    post(
        base + "/v1/policies/" + name + "/versions/1/activate",
        admin,
        "application/json",
        new byte[0],
        200);
  }

  /** One measured phase: CPU per attestation, and inclusion proofs in the log as it stands. */
  private record Phase(
      String name,
      Result attest,
      double cpuMillis,
      long logSize,
      double proofP50Millis,
      double pingP50Millis) {
    /** A warm-up as long as the phase (C2 still compiles for tens of seconds), then the phase. */
    static Phase measure(
        String name, String base, List<Sim> sims, int seconds, Process service, Path data)
        throws Exception {
      run(name + " warm-up", sims, seconds, s -> s.attest(base), 0);
      ProcessCpu cpu = ProcessCpu.start(service.toHandle(), data);
      Result r = run(name, sims, seconds, s -> s.attest(base), 0);
      cpu.stop();
      if (r.errors() > 0) {
        throw new IllegalStateException(name + ": " + r.errors() + " attestations failed");
      }
      long size =
          JSON.readTree(get(base + "/v1/audit/proof/inclusion?index=0").body())
              .get("treeSize")
              .asLong();
      return new Phase(
          name,
          r,
          cpu.treeMillis() / r.count(),
          size,
          p50(base, i -> "/v1/audit/proof/inclusion?index=" + i + "&size=" + size, size),
          p50(base, i -> "/v1/ping", size));
    }

    String line() {
      return String.format(
          "%-12s %s; CPU %.3f ms per attestation; log %,d entries, inclusion proof p50 %.3f ms"
              + " (GET /v1/ping p50 %.3f ms)",
          name, attest.line("attestations"), cpuMillis, logSize, proofP50Millis, pingP50Millis);
    }
  }

  /**
   * The p50 of {@value #PROOFS} GETs one after another, of {@code path} for random entries of a log
   * of {@code size}.
   */
  private static double p50(String base, LongFunction<String> path, long size) throws Exception {
    SplittableRandom random = new SplittableRandom(size);
    long[] nanos = new long[PROOFS];
    for (int i = 0; i < PROOFS; i++) {
      String url = base + path.apply(random.nextLong(size));
      long t0 = System.nanoTime();
      check(get(url), 200);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos[PROOFS / 2] / 1e6;
  }

  /**
   * The fill, done in this process on the stopped service's database, with the inclusion proof's
   * p50 as the proof endpoint reads it ({@link PgLogReader}: the size, then the proof's nodes in
   * one query) before and after.
   */
  private record Fill(
      double seconds,
      double bytesPerEntry,
      long sizeBefore,
      double proofP50Before,
      long sizeAfter,
      double proofP50After) {
    static Fill into(Path data, String templateDevice, int devices, long entries) throws Exception {
      EmbeddedPostgres pg = EmbeddedPostgres.start(data, false);
      try {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        // The superuser: CHECKPOINT needs it; the service's role owns the tables it fills.
        ds.setUser("postgres");
        ds.setPassword(
            PasswordFile.read(EmbeddedPostgres.passwordFile(data, "postgres")).orElseThrow());
        try (Connection c = ds.getConnection()) {
          long sizeBefore = FleetFill.single(c, "SELECT size FROM tlog_head");
          double proofBefore = proofP50(c, sizeBefore);
          long start = System.nanoTime();
          c.setAutoCommit(false);
          long template =
              FleetFill.single(
                  c,
                  "SELECT max(idx) FROM tlog_entry WHERE type = 'attestation.appraised' AND"
                      + " subject = 'device:"
                      + templateDevice
                      + "'");
          FleetFill.auditEntries(c, template, templateDevice, entries);
          FleetFill.devices(c, templateDevice, devices);
          c.commit();
          c.setAutoCommit(true);
          // What the service would otherwise meet mid-measurement: autovacuum and a checkpoint.
          try (Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE tlog_entry");
            s.execute("VACUUM ANALYZE tlog_node");
            s.execute("VACUUM ANALYZE device");
            s.execute("CHECKPOINT");
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          long size = FleetFill.single(c, "SELECT size FROM tlog_head");
          long bytes = FleetFill.storageBytes(c, List.of("tlog_entry", "tlog_node"));
          return new Fill(
              seconds, (double) bytes / size, sizeBefore, proofBefore, size, proofP50(c, size));
        }
      } finally {
        pg.close();
      }
    }

    /** The p50 of 5,000 inclusion proofs of random entries in a log of {@code size}. */
    private static double proofP50(Connection c, long size) throws Exception {
      PgLogReader r = new PgLogReader(c);
      SplittableRandom random = new SplittableRandom(size);
      long[] nanos = new long[5000];
      for (int i = -1000; i < nanos.length; i++) {
        long t0 = System.nanoTime();
        r.inclusionProof(random.nextLong(r.size()), size);
        if (i >= 0) {
          nanos[i] = System.nanoTime() - t0;
        }
      }
      Arrays.sort(nanos);
      return nanos[nanos.length / 2] / 1e6;
    }
  }

  private static void stop(Process service) throws InterruptedException {
    service.destroy();
    service.waitFor();
  }
}
