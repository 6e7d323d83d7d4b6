// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.runtime.attester.Attester;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.boot.MeasurementLog;
import dev.arca.runtime.infer.RuntimeMetrics;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.runtime.service.ServiceClient;
import dev.arca.runtime.testing.OhttpInference;
import dev.arca.runtime.testing.OnnxGraphs;
import dev.arca.runtime.testing.PlaintextScan;
import dev.arca.runtime.testing.ScriptedService;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole runtime in this process: {@link RuntimeAgent} boots, attests with the dev attester,
 * downloads a really sealed package, unwraps its really wrapped data key, unseals into memory,
 * serves OHTTP inference on loopback and re-attests. The service side is {@link ScriptedService}
 * because this module cannot start the real one (Quarkus, PostgreSQL, Keycloak live in
 * attestation-service, which depends on this module's neighbours, not the other way round); the
 * runtime against the real service is tested there.
 *
 * <p>The agent runs with {@code insecure = true}: the test JVM has the attach mechanism enabled,
 * which hardening refuses. Refusal itself is tested on a real child process in {@code cli}'s {@code
 * RuntimeProcessTest}.
 */
class RuntimeAgentTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int N = 4096;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @TempDir Path state;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private ScriptedService service;
  private RuntimeAgent agent;

  /** When a test sets it before booting, the agent's re-attestations wait for the test. */
  private ManualTimer timer;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (service != null) {
      service.close();
    }
  }

  private RuntimeAgent boot(String... modelIds) throws Exception {
    return boot(Clock.systemUTC(), modelIds);
  }

  private RuntimeAgent boot(Clock clock, String... modelIds) throws Exception {
    List<ServiceClient.ModelRequest> requests =
        java.util.Arrays.stream(modelIds)
            .map(id -> new ServiceClient.ModelRequest(id, "synthetic"))
            .toList();
    agent =
        new RuntimeAgent(
            new RuntimeAgent.Config(
                service.uri(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                state,
                requests,
                service.publishers(),
                true),
            DevRuntimeAttester.open(state, Clock.systemUTC()),
            clock,
            log::add,
            timer);
    agent.boot();
    return agent;
  }

  private static float[] randomFloats() {
    float[] w = new float[N];
    for (int i = 0; i < N; i++) {
      w[i] = RANDOM.nextFloat() * 2 - 1;
    }
    return w;
  }

  private void publishAdder(long version, float[] w) throws Exception {
    service.publish(
        "adder",
        version,
        OnnxGraphs.add(w),
        List.of(TensorSpec.of("x", "float32", N)),
        List.of(TensorSpec.of("y", "float32", N)),
        "synthetic");
  }

  private static InferenceMessages.Request addRequest(float[] x) throws Exception {
    return new InferenceMessages.Request(
        "adder", "synthetic", "test", Map.of("x", Tensor.ofFloats("x", new long[] {N}, x)));
  }

  /** Checks y = x + w for the weights of the version that answered. */
  private static void assertSum(InferenceMessages.Response r, float[] x, Map<Long, float[]> weights)
      throws Exception {
    float[] w = weights.get(r.version());
    assertThat(w).as("weights of version %d", r.version()).isNotNull();
    float[] y = r.outputs().get("y").floats();
    for (int i = 0; i < N; i++) {
      assertThat(y[i]).as("y[%d]", i).isCloseTo(x[i] + w[i], within(1e-6f));
    }
  }

  @Test
  void afterAFullRunNoPlaintextModelBytesAreOnDisk() throws Exception {
    // Random weights make the slice unique: a hit can only be this model's plaintext.
    float[] w = randomFloats();
    byte[] onnx = OnnxGraphs.add(w);
    ByteBuffer raw = ByteBuffer.allocate(N * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(w);
    byte[] needle = PlaintextScan.slice(raw.array(), N * 2, 64);
    assertThat(indexOf(onnx, needle)).as("the slice is part of the ONNX plaintext").isPositive();

    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(1, w);
    boot("adder");
    float[] x = randomFloats();
    Object answer = new OhttpInference(agent.port()).infer(addRequest(x));
    assertThat(answer).isInstanceOf(InferenceMessages.Response.class);
    assertSum((InferenceMessages.Response) answer, x, Map.of(1L, w));
    try (Stream<Path> stream = Files.list(state.resolve("packages"))) {
      assertThat(stream.toList()).as("the sealed package is cached").hasSize(1);
    }
    agent.close();
    agent = null;

    Path cwd = Path.of("").toAbsolutePath();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    PlaintextScan.Result result = PlaintextScan.scan(needle, state, cwd, tmp, Path.of("/dev/shm"));
    assertThat(result.filesScanned()).as("files scanned").isPositive();
    // Files of other users (a shared temp folder) may be unreadable; the runtime can only have
    // written files it owns, and those the scan must have read.
    String me = System.getProperty("user.name");
    assertThat(result.unreadable())
        .as("files of this user the scan could not read")
        .noneMatch(f -> owner(f).equals(me));
    assertThat(result.hits()).as("files holding model plaintext").isEmpty();
    assertThat(String.join("\n", log)).doesNotContain(new String(needle, ISO_8859_1));

    // The scan does find the slice where it is: a file planted with it.
    Path planted = Files.write(state.resolve("planted.bin"), onnx);
    assertThat(PlaintextScan.scan(needle, state).hits()).containsExactly(planted);
  }

  /**
   * The log the service receives names the JVM arguments the runtime started with (exactly, checked
   * against both digests), and the attester was extended with every entry, so a TPM's PCR 23 is
   * still the log's replay.
   */
  @Test
  void theMeasurementLogNamesTheJvmArgumentsAndEveryEntryIsExtended() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(1, randomFloats());
    List<byte[]> extended = new CopyOnWriteArrayList<>();
    DevRuntimeAttester dev = DevRuntimeAttester.open(state, Clock.systemUTC());
    Attester recording =
        new Attester() {
          @Override
          public String format() {
            return dev.format();
          }

          @Override
          public String deviceId() {
            return dev.deviceId();
          }

          @Override
          public byte[] evidence(byte[] reportData) throws java.io.IOException {
            return dev.evidence(reportData);
          }

          @Override
          public void extend(byte[] sha256) {
            extended.add(sha256);
          }
        };
    agent =
        new RuntimeAgent(
            new RuntimeAgent.Config(
                service.uri(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                state,
                List.of(new ServiceClient.ModelRequest("adder", "synthetic")),
                service.publishers(),
                true),
            recording,
            Clock.systemUTC(),
            log::add);
    agent.boot();

    MeasurementLog sent =
        MeasurementLog.parse(
            new String(service.received().get(0).measurementLog(), StandardCharsets.UTF_8));
    assertThat(sent.jvmArguments())
        .isEqualTo(ManagementFactory.getRuntimeMXBean().getInputArguments());
    assertThat(sent.entries())
        .extracting(MeasurementLog.Entry::name)
        .contains(MeasurementLog.JVM_ARGUMENTS, "flags", "config");
    assertThat(extended)
        .as("extended, in log order")
        .usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(
            sent.entries().stream().map(MeasurementLog.Entry::sha256).toList());
    byte[] pcr = new byte[32];
    for (byte[] e : extended) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(pcr);
      md.update(e);
      pcr = md.digest();
    }
    assertThat(sent.replayedPcr()).as("PCR 23 after these extends").isEqualTo(pcr);
  }

  @Test
  void aRestartUsesTheStoredPackageAndATamperedOneIsFetchedAgain() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    float[] w = randomFloats();
    publishAdder(1, w);
    boot("adder");
    assertThat(service.downloads()).isEqualTo(1);
    agent.close();

    boot("adder");
    assertThat(service.downloads()).as("a restart verifies the stored package").isEqualTo(1);
    float[] x = randomFloats();
    assertSum(
        (InferenceMessages.Response) new OhttpInference(agent.port()).infer(addRequest(x)),
        x,
        Map.of(1L, w));
    agent.close();

    // Flip one ciphertext byte near the end of the stored package.
    Path stored = state.resolve("packages").resolve("adder-1.sealed");
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length - 100] ^= 1;
    Files.write(stored, bytes);
    boot("adder");
    assertThat(service.downloads()).as("the tampered copy is replaced").isEqualTo(2);
    assertThat(log).anyMatch(l -> l.startsWith("cache: the stored package for adder v1"));
    assertThat(agent.served()).containsEntry("adder", 1L);
  }

  @Test
  void aVersionLowerThanOneAlreadyAcceptedIsRefusedBeforeItIsDownloaded() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(2, randomFloats());
    boot("adder");
    assertThat(agent.served()).containsEntry("adder", 2L);
    agent.close();
    agent = null;
    service.close();

    // A service (or a replayed answer) that now grants version 1 of the same model.
    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(1, randomFloats());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> boot("adder"))
        .isInstanceOfSatisfying(
            dev.arca.runtime.update.RollbackException.class,
            e -> assertThat(e.getMessage()).contains("adder"));
    assertThat(service.downloads()).as("nothing fetched for a refused version").isZero();
    try (Stream<Path> stream = Files.list(state.resolve("packages"))) {
      assertThat(stream.map(p -> p.getFileName().toString())).containsExactly("adder-2.sealed");
    }
  }

  @Test
  void lightSqueezenetLoadsThroughTheSealedPathAndReturnsItsExpectedOutput() throws Exception {
    byte[] onnx = resource("light_squeezenet.onnx");
    Tensor expected = TensorProtoCodec.decode(resource("light_squeezenet_output_0.pb"), "y");
    String inputName;
    String outputName;
    try (OnnxModel probe = OnnxModel.load(direct(onnx))) {
      inputName = probe.inputs().keySet().iterator().next();
      outputName = probe.outputs().keySet().iterator().next();
    }
    service = new ScriptedService(Duration.ofMinutes(10));
    service.publish(
        "squeezenet",
        1,
        onnx,
        List.of(TensorSpec.of(inputName, "float32", 1, 3, 224, 224)),
        List.of(TensorSpec.of(outputName, "float32", expected.shape())),
        "synthetic");
    boot("squeezenet");
    assertThat(agent.served()).containsEntry("squeezenet", 1L);

    int n = 3 * 224 * 224;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) i / n;
    }
    Object answer =
        new OhttpInference(agent.port())
            .infer(
                new InferenceMessages.Request(
                    "squeezenet",
                    "synthetic",
                    "test",
                    Map.of(inputName, Tensor.ofFloats(inputName, new long[] {1, 3, 224, 224}, x))));
    assertThat(answer).isInstanceOf(InferenceMessages.Response.class);
    float[] got = ((InferenceMessages.Response) answer).outputs().get(outputName).floats();
    float[] want = expected.floats();
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
    }
  }

  @Test
  void reAttestsBeforeTheTokenExpiresAndSwapsGrantsWithoutDroppingRequests() throws Exception {
    // Tokens live 10 minutes; the agent schedules its refresh at two thirds of the remaining life,
    // by its clock (held still here), and the test fires that refresh instead of waiting for it.
    Duration tokenLife = Duration.ofMinutes(10);
    service = new ScriptedService(tokenLife);
    timer = new ManualTimer();
    float[] w1 = randomFloats();
    float[] w2 = randomFloats();
    publishAdder(1, w1);
    boot(Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC), "adder");
    String firstToken = agent.token();
    assertThat(timer.delays())
        .as("the refresh scheduled at boot: two thirds of the token's 600 s")
        .containsExactly(Duration.ofSeconds(400));
    // Version 2 is granted from the next attestation on.
    publishAdder(2, w2);
    Map<Long, float[]> weights = Map.of(1L, w1, 2L, w2);

    OhttpInference client = new OhttpInference(agent.port());
    List<Long> versions = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread th =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    float[] x = randomFloats();
                    Object a = client.infer(addRequest(x));
                    if (a instanceof InferenceMessages.Response r) {
                      assertSum(r, x, weights);
                      versions.add(r.version());
                    } else {
                      failures.add(String.valueOf(a));
                    }
                  } catch (Throwable e) {
                    failures.add(e.toString());
                  }
                }
              });
      th.start();
      threads.add(th);
    }
    awaitMore(versions, 20, failures); // version 1 answers under load
    timer.fire(); // the scheduled refresh: re-attest, load version 2 beside 1, switch
    assertThat(agent.served()).containsEntry("adder", 2L);
    awaitMore(versions, 20, failures); // keep the load on after the swap
    running.set(false);
    for (Thread th : threads) {
      th.join();
    }

    assertThat(service.received()).hasSize(2);
    assertThat(timer.delays()).as("the next refresh, from the new token").hasSize(2);
    assertThat(agent.token()).isNotEqualTo(firstToken);
    assertThat(failures).as("requests that failed across the swap").isEmpty();
    assertThat(versions).contains(1L, 2L);
    int firstV2 = versions.indexOf(2L);
    assertThat(versions.subList(firstV2, versions.size()).stream().filter(v -> v == 1L).count())
        .as("answers from version 1 after version 2 answered (requests in flight at the swap)")
        .isLessThanOrEqualTo(threads.size());
    assertThat(log).anyMatch(l -> l.startsWith("unseal: adder v2"));
  }

  /** Waits (a hang guard of a minute, not a timing assertion) for {@code n} more answers. */
  private static void awaitMore(List<Long> answers, int n, List<String> failures)
      throws InterruptedException {
    int target = answers.size() + n;
    Instant deadline = Instant.now().plusSeconds(60);
    while (answers.size() < target && failures.isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(10);
    }
  }

  @Test
  void aRefusalAfterANetworkFailureStopsInferenceAtOnce() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    float[] w = randomFloats();
    publishAdder(1, w);
    boot("adder");
    OhttpInference client = new OhttpInference(agent.port());
    float[] x = randomFloats();

    // The service cannot be reached: the runtime goes offline and serves on its lease.
    service.unreachable(true);
    agent.reattestNow();
    assertSum((InferenceMessages.Response) client.infer(addRequest(x)), x, Map.of(1L, w));
    assertThat(health().path("service").asText()).isEqualTo("offline");
    assertThat(health().path("offlineUntil").asText()).as("when serving ends").isNotEmpty();
    assertThat(get("/readyz").statusCode()).as("serving on its offline lease").isEqualTo(200);
    assertThat(get("/metrics").body())
        .contains(
            "arca_runtime_requests_total{model=\"adder\",version=\"1\",data_class=\"synthetic\","
                + "outcome=\"served\"} 1\n")
        .contains("arca_runtime_model_served{model=\"adder\",version=\"1\"} 1\n")
        .contains("arca_runtime_standing{state=\"offline\"} 1\n")
        .contains("arca_runtime_offline_until_seconds ");

    // Back, and the device is revoked: a definitive refusal, not another network failure.
    service.unreachable(false);
    service.refuseAttestations(403, "device-revoked");
    agent.reattestNow();
    Object answer = client.infer(addRequest(x));
    assertThat(answer)
        .as("inference right after the refusal, long before offlineUntil")
        .isInstanceOfSatisfying(
            InferenceMessages.Refusal.class, r -> assertThat(r.id()).isEqualTo("lease.refused"));
    assertThat(agent.served()).as("models whose sessions were dropped").isEmpty();
    assertThat(agent.token()).isNull();
    assertThat(healthResponse().statusCode()).as("alive, though serving nothing").isEqualTo(200);
    HttpResponse<String> health = get("/readyz");
    assertThat(health.statusCode()).isEqualTo(503);
    com.fasterxml.jackson.databind.JsonNode h = JSON.readTree(health.body());
    assertThat(h.path("ready").asBoolean(true)).isFalse();
    assertThat(h.path("service").asText()).isEqualTo("refused");
    assertThat(h.path("refusal").path("status").asInt()).isEqualTo(403);
    assertThat(h.path("refusal").path("type").asText()).isEqualTo("device-revoked");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.headers().firstValue("Content-Type")).hasValue(RuntimeMetrics.CONTENT_TYPE);
    assertThat(metrics.body())
        .contains("arca_runtime_standing{state=\"refused\"} 1\n")
        .contains(
            "arca_runtime_requests_total{model=\"*\",version=\"0\",data_class=\"*\","
                + "outcome=\"refused\"} 1\n")
        .doesNotContain("arca_runtime_model_served{");
    assertThat(log)
        .anyMatch(l -> l.startsWith("refused: ") && l.contains("403") && l.contains("adder"));

    // A network failure after the refusal does not turn it back into offline serving.
    service.unreachable(true);
    agent.reattestNow();
    assertThat(health().path("service").asText()).isEqualTo("refused");
    assertThat(client.infer(addRequest(x)))
        .isInstanceOfSatisfying(
            InferenceMessages.Refusal.class, r -> assertThat(r.id()).isEqualTo("lease.refused"));

    // Allowed again: the next attestation serves again (from the stored package).
    service.unreachable(false);
    service.refuseAttestations(0, null);
    agent.reattestNow();
    assertSum((InferenceMessages.Response) client.infer(addRequest(x)), x, Map.of(1L, w));
    assertThat(health().path("service").asText()).isEqualTo("online");
    assertThat(service.downloads()).isEqualTo(1);
  }

  @Test
  void aRuntimeBootedWithoutItsServiceRetriesWithBackoffAndServesOnceItIsBack() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    timer = new ManualTimer();
    float[] w = randomFloats();
    publishAdder(1, w);
    service.unreachable(true);
    boot("adder"); // returns: an unreachable service is no reason to exit
    assertThat(agent.served()).isEmpty();
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(health().path("service").asText()).isEqualTo("offline");
    assertThat(health().path("ready").asBoolean(true)).isFalse();
    assertThat(log).anyMatch(l -> l.startsWith("attest: the service could not be used at boot"));
    OhttpInference client = new OhttpInference(agent.port());
    assertThat(client.infer(addRequest(randomFloats())))
        .as("nothing is served before an attestation succeeds")
        .isInstanceOf(InferenceMessages.Refusal.class);

    timer.fire(); // still unreachable: the next wait is longer
    timer.fire();
    List<Duration> waits = timer.delays();
    assertThat(waits.get(0).toMillis()).isBetween(500L, 1_000L);
    assertThat(waits.get(1).toMillis()).isBetween(1_000L, 2_000L);
    assertThat(waits.get(2).toMillis()).isBetween(2_000L, 4_000L);
    assertThat(log).anyMatch(l -> l.startsWith("retry: attempt 3 in "));

    service.unreachable(false);
    timer.fire();
    float[] x = randomFloats();
    assertSum((InferenceMessages.Response) client.infer(addRequest(x)), x, Map.of(1L, w));
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    // Two thirds of the new token's 600 s (399 s when the second turned meanwhile), far beyond
    // the backoff's 60 s cap.
    assertThat(timer.delays().get(3))
        .as("back online: the token's schedule again, not the backoff")
        .isBetween(Duration.ofSeconds(399), Duration.ofSeconds(400));
  }

  @Test
  void aRuntimeRefusedAtBootStaysUpServingNothingAndRetries() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    timer = new ManualTimer();
    publishAdder(1, randomFloats());
    service.refuseAttestations(403, "device-pending");
    boot("adder");
    assertThat(health().path("service").asText()).isEqualTo("refused");
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(timer.delays()).hasSize(1);
    service.refuseAttestations(0, null);
    timer.fire();
    assertThat(agent.served()).containsEntry("adder", 1L);
  }

  @Test
  void aRevokedVersionStopsServingAtTheNextAttestationAndIsNotRolledBack() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(1, randomFloats());
    publishAdder(2, randomFloats());
    boot("adder");
    assertThat(agent.served()).containsEntry("adder", 2L);

    // Version 2 is revoked: the service grants version 1 again, which the floor refuses.
    service.revokeLatest("adder");
    agent.reattestNow();
    assertThat(agent.served()).as("nothing of adder is served").isEmpty();
    assertThat(log)
        .anyMatch(l -> l.startsWith("withdrawn: adder v2 was superseded by a grant of v1"));
    assertThat(new OhttpInference(agent.port()).infer(addRequest(randomFloats())))
        .isInstanceOf(InferenceMessages.Refusal.class);

    // A newer version brings it back.
    float[] w3 = randomFloats();
    publishAdder(3, w3);
    agent.reattestNow();
    float[] x = randomFloats();
    assertSum(
        (InferenceMessages.Response) new OhttpInference(agent.port()).infer(addRequest(x)),
        x,
        Map.of(3L, w3));
  }

  @Test
  void aModelNoLongerGrantedAtAllStopsServing() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(1, randomFloats());
    boot("adder");
    service.revokeLatest("adder");
    agent.reattestNow();
    assertThat(agent.served()).isEmpty();
    assertThat(log).anyMatch(l -> l.startsWith("withdrawn: adder v1 is no longer granted"));
  }

  @Test
  void aRefusalWhileOnlineAlsoStopsInferenceAtOnce() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    publishAdder(1, randomFloats());
    boot("adder");
    service.refuseAttestations(404, "device-unknown");
    agent.reattestNow();
    Object answer = new OhttpInference(agent.port()).infer(addRequest(randomFloats()));
    assertThat(answer)
        .isInstanceOfSatisfying(
            InferenceMessages.Refusal.class, r -> assertThat(r.id()).isEqualTo("lease.refused"));
  }

  @Test
  void aServerErrorIsOfflineNotARefusal() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    float[] w = randomFloats();
    publishAdder(1, w);
    boot("adder");
    service.refuseAttestations(503, "unavailable");
    agent.reattestNow();
    float[] x = randomFloats();
    assertSum(
        (InferenceMessages.Response) new OhttpInference(agent.port()).infer(addRequest(x)),
        x,
        Map.of(1L, w));
    assertThat(health().path("service").asText()).isEqualTo("offline");
  }

  @Test
  void theGrantsMaxRequestsPerMinuteIsEnforced() throws Exception {
    service = new ScriptedService(Duration.ofMinutes(10));
    service.obligations(Map.of("leaseSeconds", 600L, "maxRequestsPerMinute", 2L));
    float[] w = randomFloats();
    publishAdder(1, w);
    // A clock that does not move: all requests fall in one minute window.
    boot(Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC), "adder");
    OhttpInference client = new OhttpInference(agent.port());
    float[] x = randomFloats();
    assertSum((InferenceMessages.Response) client.infer(addRequest(x)), x, Map.of(1L, w));
    assertSum((InferenceMessages.Response) client.infer(addRequest(x)), x, Map.of(1L, w));
    assertThat(client.infer(addRequest(x)))
        .isInstanceOfSatisfying(
            InferenceMessages.Refusal.class,
            r -> assertThat(r.id()).isEqualTo("infer.rate-limited"));
  }

  @Test
  void reattestsWithinReattestationSecondsThoughTheTokenLivesLonger() throws Exception {
    // Token-based, the next attestation would come after 400 s; the grant's obligation says 1 s.
    service = new ScriptedService(Duration.ofMinutes(10));
    service.obligations(Map.of("reattestationSeconds", 1L));
    timer = new ManualTimer();
    publishAdder(1, randomFloats());
    boot(Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC), "adder");
    timer.fire();
    timer.fire();
    assertThat(service.received()).as("boot and two scheduled re-attestations").hasSize(3);
    assertThat(timer.delays())
        .as("each scheduled by the obligation, not the token")
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(log).anyMatch(l -> l.startsWith("attest: ") && l.contains("re-attest within 1 s"));
  }

  @Test
  void theNextAttestationIsTheEarlierOfTheTokenScheduleAndTheObligation() {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    Optional<Instant> tokenIn600 = Optional.of(now.plusSeconds(600));
    OptionalLong none = OptionalLong.empty();
    assertThat(RuntimeAgent.nextAttestationIn(now, tokenIn600, now, none))
        .as("two thirds of the token's life")
        .isEqualTo(Duration.ofSeconds(400));
    assertThat(RuntimeAgent.nextAttestationIn(now, Optional.empty(), now, none))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(RuntimeAgent.nextAttestationIn(now, tokenIn600, now, OptionalLong.of(60)))
        .as("the obligation comes first")
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(
            RuntimeAgent.nextAttestationIn(
                now, tokenIn600, now.minusSeconds(50), OptionalLong.of(60)))
        .as("counted from the last attestation")
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(RuntimeAgent.nextAttestationIn(now, tokenIn600, now, OptionalLong.of(3600)))
        .as("the token schedule comes first")
        .isEqualTo(Duration.ofSeconds(400));
    assertThat(
            RuntimeAgent.nextAttestationIn(
                now,
                Optional.of(now.minusSeconds(10)),
                now.minusSeconds(7200),
                OptionalLong.of(60)))
        .as("overdue (service unreachable): retry every 5 s")
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            RuntimeAgent.nextAttestationIn(
                now, tokenIn600, now.minusSeconds(7200), OptionalLong.of(2)))
        .as("overdue with a shorter obligation: retry at its interval")
        .isEqualTo(Duration.ofSeconds(2));
  }

  private HttpResponse<String> healthResponse() throws Exception {
    return get("/healthz");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private com.fasterxml.jackson.databind.JsonNode health() throws Exception {
    return JSON.readTree(healthResponse().body());
  }

  private static String owner(Path f) {
    try {
      return Files.getOwner(f, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = RuntimeAgentTest.class.getResourceAsStream("/vectors/onnx/" + name)) {
      return in.readAllBytes();
    }
  }

  private static ByteBuffer direct(byte[] b) {
    ByteBuffer d = ByteBuffer.allocateDirect(b.length);
    d.put(b).flip();
    return d;
  }
}
