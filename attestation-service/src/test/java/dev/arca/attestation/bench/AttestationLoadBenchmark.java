// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakServer;
import dev.arca.attestation.testing.TestModels;
import dev.arca.bench.Figure;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.devstack.RunningKeycloak;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.dev.DevAttester;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark (a separate process from the service, loopback only, bounded in time): starts a
 * real Keycloak and the packaged service (embedded PostgreSQL, fresh data directory), enrols N dev
 * devices, publishes a model and activates a policy, then runs N concurrent simulated devices
 * through the whole flow (challenge + attestation with PostgreSQL writes and key release) and, in
 * the same run, the trivial {@code GET /v1/ping} as the framework baseline. Prints throughput and
 * p50/p99 latency for both.
 *
 * <p>Usage (after {@code ./mvnw -pl attestation-service -am package}): see docs/benchmarks.md.
 * Arguments: devices (default 16), seconds per phase (default 20).
 */
public final class AttestationLoadBenchmark {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    try (BenchStack stack = BenchStack.start()) {
      RunningKeycloak kc = stack.keycloak();
      String base = stack.base();
      String device = token(kc, "device-admin");
      String publisher = token(kc, "model-publisher");
      String admin = token(kc, "policy-admin");
      List<Sim> sims = enrol(base, device, devices);
      TestModels.Sealed sealed = TestModels.seal("bench-model", 1, List.of("synthetic"), 4096);
      trustPublisher(base, admin);
      publish(base, publisher, sealed);
      activateTestPolicy(base, admin);

      // Warm-up, then the measured phases, each bounded by time; the service's CPU time (its JVM,
      // and with its PostgreSQL) is read around each, so the load generator's own CPU is apart.
      ProcessHandle service = stack.service().toHandle();
      // A warm-up as long as a phase: C2 still compiles the hot path for tens of seconds on two
      // cores, and its CPU would count against the attestations measured.
      run("warm-up", sims, seconds, s -> s.attest(base), 0);
      ProcessCpu pingCpu = ProcessCpu.start(service, stack.data());
      Result ping = run("ping", sims, seconds, s -> check(get(base + "/v1/ping"), 200), 0);
      pingCpu.stop();
      ProcessCpu attCpu = ProcessCpu.start(service, stack.data());
      ProcessCpu generatorCpu = ProcessCpu.start(ProcessHandle.current());
      Result att = run("attest", sims, seconds, s -> s.attest(base), 0);
      attCpu.stop();
      generatorCpu.stop();
      // Latency at half the maximum rate just measured: each device on a fixed schedule, latency
      // from its scheduled start (a late start counts against the service, as for a device).
      long period = (long) (sims.size() * 1e9 / (att.perSecond() / 2));
      Result half = run("attest at half rate", sims, seconds, s -> s.attest(base), period);
      System.out.printf(
          "machine: %d cores, JDK %s; %d concurrent devices; %d s per phase%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          devices,
          seconds);
      System.out.println(ping.line("GET /v1/ping (framework baseline)"));
      System.out.println(att.line("challenge + attestation + key release (dev attester)"));
      System.out.println(half.line("the same at half that rate (scheduled)"));
      System.out.printf(
          "attestation flows/s as a share of ping/s: %.3f%n", att.perSecond() / ping.perSecond());
      double pingMs = pingCpu.jvmMillis() / ping.count;
      double attMs = attCpu.jvmMillis() / att.count;
      double attTreeMs = attCpu.treeMillis() / att.count;
      System.out.printf(
          "service CPU per request: ping %.3f ms; attestation %.3f ms (JVM), %.3f ms (JVM +"
              + " PostgreSQL); load generator %.3f ms per attestation%n",
          pingMs, attMs, attTreeMs, generatorCpu.jvmMillis() / att.count);
      Figure.of(
              "service CPU per attestation (JVM + PostgreSQL)",
              attTreeMs,
              "ms",
              "-",
              Double.NaN,
              "value<=1.0")
          .print();
      Figure.of(
              "service CPU per attestation (JVM)", attMs, "ms", "GET /v1/ping", attMs / pingMs, "-")
          .print();
      Figure.of(
              "attestations/s, closed loop",
              att.perSecond(),
              "/s",
              "GET /v1/ping",
              ping.perSecond() / att.perSecond(),
              "-")
          .print();
      Figure.of(
              "p99 at half the maximum rate",
              half.percentileMillis(99),
              "ms",
              "-",
              Double.NaN,
              "value<=25")
          .print();
      Figure.of(
              "p50 at half the maximum rate", half.percentileMillis(50), "ms", "-", Double.NaN, "-")
          .print();
      Figure.of(
              "failed requests",
              (double) (att.errors + half.errors),
              "",
              "-",
              Double.NaN,
              "value<=0")
          .print();
    }
  }

  /**
   * The packaged service (fresh data directory, {@link #startService}) and the shared Keycloak, up
   * and answering; closing stops both.
   */
  record BenchStack(RunningKeycloak keycloak, Process service, Path data, String base)
      implements AutoCloseable {
    static BenchStack start() throws Exception {
      Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException("build first: ./mvnw -pl attestation-service -am package");
      }
      RunningKeycloak kc = KeycloakServer.shared();
      Path data = Files.createTempDirectory("arca-bench-");
      int port = 18000 + (int) (ProcessHandle.current().pid() % 1000);
      BenchStack stack =
          new BenchStack(kc, startService(jar, kc, data, port), data, "http://127.0.0.1:" + port);
      try {
        awaitUp(stack.base() + "/v1/ping");
        return stack;
      } catch (Exception | Error e) {
        stack.close();
        throw e;
      }
    }

    @Override
    public void close() {
      service.destroy();
      try {
        service.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      keycloak.close();
      deleteTree(data);
    }
  }

  /** Deletes a stopped service's data directory (best effort). */
  static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Starts the packaged service on {@code port} with a fresh data directory, its log in {@code
   * data/service.log}, against {@code kc}, with the dev format on and the device endpoints' rate
   * limits lifted (every simulated device runs from 127.0.0.1).
   */
  static Process startService(Path jar, RunningKeycloak kc, Path data, int port) throws Exception {
    return startService(jar, kc, data, port, Map.of());
  }

  /** {@link #startService(Path, RunningKeycloak, Path, int)} with more environment variables. */
  static Process startService(
      Path jar, RunningKeycloak kc, Path data, int port, Map<String, String> environment)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // Diagnostic switch: -Darca.bench.service-jvm-opts="-XX:StartFlightRecording=..." profiles it.
    for (String opt : System.getProperty("arca.bench.service-jvm-opts", "").split(" ", -1)) {
      if (!opt.isBlank()) {
        command.add(opt);
      }
    }
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("service.log").toFile()));
    pb.environment().put("ARCA_DATA_DIR", data.toString());
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    pb.environment().put("QUARKUS_OIDC_AUTH_SERVER_URL", kc.realmUrl());
    // The benchmark's devices are dev-attested: a development-only format, off by default.
    pb.environment().put("ARCA_FORMATS_DEV_ENABLED", "true");
    pb.environment().put("QUARKUS_LOG_LEVEL", "WARN");
    pb.environment().put("ARCA_RATE_LIMIT_CHALLENGES_PER_ADDRESS", "100000000");
    pb.environment().put("ARCA_RATE_LIMIT_ATTESTATIONS_PER_ADDRESS", "100000000");
    pb.environment().put("ARCA_RATE_LIMIT_ATTESTATIONS_PER_DEVICE", "100000000");
    pb.environment().putAll(environment);
    return pb.start();
  }

  /** Enrols {@code count} simulated dev devices {@code bench-<n>}, as {@code device-admin}. */
  static List<Sim> enrol(String base, String deviceAdmin, int count) throws Exception {
    List<Sim> sims = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Sim s = new Sim("bench-" + i);
      post(
          base + "/v1/devices",
          deviceAdmin,
          "application/json",
          JSON.writeValueAsBytes(
              Map.of(
                  "id",
                  s.id,
                  "format",
                  "dev",
                  "enrolment",
                  Map.of("publicKey", b64(s.attester.publicKey())),
                  "attributes",
                  Map.of("class", "bench"))),
          201);
      sims.add(s);
    }
    return sims;
  }

  /** Trusts the tests' publisher key, as {@code policy-admin}. */
  static void trustPublisher(String base, String admin) throws Exception {
    PublisherSigningKey signer = TestModels.signer();
    post(
        base + "/v1/publisher-keys",
        admin,
        "application/json",
        JSON.writeValueAsBytes(
            Map.of(
                "keyId",
                signer.keyId(),
                "algorithm",
                signer.algorithm().label(),
                "publicKey",
                Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(signer.publicKey().encoded()))),
        201);
  }

  /** Publishes a sealed model version, as {@code model-publisher}. */
  static void publish(String base, String publisher, TestModels.Sealed sealed) throws Exception {
    check(
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/v1/models/" + sealed.manifest().modelId() + "/versions"))
                .header("Authorization", "Bearer " + publisher)
                .header("Content-Type", "application/octet-stream")
                .header("Arca-Data-Key", sealed.dataKeyHeader())
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealed.pkg()))
                .build(),
            HttpResponse.BodyHandlers.ofString()),
        201);
  }

  /**
   * Uploads and activates the tests' policy ({@code service-test.yaml}), as {@code policy-admin}.
   */
  static void activateTestPolicy(String base, String admin) throws Exception {
    byte[] policy =
        AttestationLoadBenchmark.class
            .getResourceAsStream("/policies/service-test.yaml")
            .readAllBytes();
    post(base + "/v1/policies", admin, "application/yaml", policy, 201);
    post(
        base + "/v1/policies/service-test/versions/1/activate",
        admin,
        "application/json",
        new byte[0],
        200);
  }

  interface Op {
    void call(Sim s) throws Exception;
  }

  record Result(long count, long errors, double seconds, long[] latenciesNanos) {
    double perSecond() {
      return count / seconds;
    }

    double percentileMillis(int p) {
      long[] l = latenciesNanos;
      return l[(int) Math.min(l.length - 1, l.length * (p / 100.0))] / 1e6;
    }

    String line(String name) {
      return String.format(
          "%-55s %8.0f /s  p50 %6.2f ms  p99 %6.2f ms  (%d ok, %d errors)",
          name, perSecond(), percentileMillis(50), percentileMillis(99), count, errors);
    }
  }

  /**
   * Runs {@code op} on every device for {@code seconds}: back to back when {@code periodNanos} is
   * 0, else each device once per period (staggered), latency counted from the scheduled start.
   */
  static Result run(String name, List<Sim> sims, int seconds, Op op, long periodNanos)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(sims.size());
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong errors = new AtomicLong();
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < sims.size(); i++) {
      Sim s = sims.get(i);
      long first = start + periodNanos * i / sims.size();
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                long next = first;
                while (System.nanoTime() < end && n < lat.length) {
                  long t0 = System.nanoTime();
                  if (periodNanos > 0) {
                    long wait = next - t0;
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    t0 = next;
                    next += periodNanos;
                  }
                  try {
                    op.call(s);
                    lat[n++] = System.nanoTime() - t0;
                  } catch (Exception e) {
                    errors.incrementAndGet();
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

  /** One simulated device runtime. */
  static final class Sim {
    final String id;
    final DevAttester attester = DevAttester.generate();
    final byte[] runtimePublicKey = DevDevice.newRuntimeKey().publicKey().bytes();
    final byte[] log = "runtime.jar sha256=ab12\n".getBytes(StandardCharsets.UTF_8);

    Sim(String id) {
      this.id = id;
    }

    void attest(String base) throws Exception {
      HttpResponse<String> c =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/challenges"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      check(c, 200);
      String nonceText = JSON.readTree(c.body()).get("nonce").asText();
      byte[] nonce = Base64.getUrlDecoder().decode(nonceText);
      byte[] pk = runtimePublicKey;
      byte[] rd = ReportData.ofLog(nonce, pk, log);
      byte[] evidence = attester.attest(rd, Map.of("runtime", "ab12cd34"), Instant.now());
      byte[] body =
          JSON.writeValueAsBytes(
              Map.of(
                  "deviceId",
                  id,
                  "format",
                  "dev",
                  "evidence",
                  b64(evidence),
                  "nonce",
                  nonceText,
                  "runtimePublicKey",
                  b64(pk),
                  "measurementLog",
                  b64(log),
                  "models",
                  List.of(Map.of("modelId", "bench-model", "dataClass", "synthetic"))));
      HttpResponse<String> a =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/attestations"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      check(a, 200);
      JsonNode g = JSON.readTree(a.body()).get("grants");
      if (g == null || g.size() != 1) {
        throw new IllegalStateException("no grant");
      }
    }
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void post(String url, String token, String type, byte[] body, int expect)
      throws Exception {
    check(
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString()),
        expect);
  }

  static void check(HttpResponse<String> r, int expect) {
    if (r.statusCode() != expect) {
      throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  static void awaitUp(String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get(url).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        Thread.sleep(300);
      }
    }
    throw new IllegalStateException("service did not start");
  }

  static String token(RunningKeycloak kc, String user) throws Exception {
    String form =
        "grant_type=password&client_id=arca-automation&client_secret=arca-automation-secret&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(user + "-pw", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(kc.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    check(r, 200);
    return JSON.readTree(r.body()).get("access_token").asText();
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
