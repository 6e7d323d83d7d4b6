// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.sun.net.httpserver.HttpServer;
import dev.arca.bench.Figure;
import dev.arca.client.infer.InferenceHttp;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.infer.InferenceHandler;
import dev.arca.runtime.infer.InferenceTarget;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.model.LoadedModel;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.runtime.service.ServiceClient;
import dev.arca.runtime.testing.OhttpInference;
import dev.arca.runtime.testing.OnnxGraphs;
import dev.arca.runtime.testing.ScriptedService;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's three benchmarks, each against a baseline measured in the same run (see
 * docs/benchmarks.md, "enclave-runtime"):
 *
 * <ol>
 *   <li>boot to ready of the encrypted path beside an ONNX Runtime session from the plaintext file,
 *       for a generated model of {@code modelMiB} (default 100), each load in a fresh JVM ({@link
 *       BootProbe}) because a device boots with a cold JIT;
 *   <li>per-request latency of encrypted inference (OHTTP over loopback HTTP, and the same without
 *       the HTTP transport) beside a direct ORT {@code run} of the same model in this process;
 *   <li>peak RSS of those child JVMs, beside the model size.
 * </ol>
 *
 * <p>The service side is {@link ScriptedService} in this process on loopback: real dev evidence
 * signed and verified, real HPKE key release, real sealed package; not the real service's
 * PostgreSQL, policy and EAR signing (see the attestation-service benchmark for those).
 */
public final class RuntimeBenchmarks {
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private static final OrtEnvironment ENV =
      OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);

  private static final String PROBE_JVM = "-Xmx128m -XX:MaxDirectMemorySize=1g";

  private RuntimeBenchmarks() {}

  public static void main(String[] args) throws Exception {
    // This process starts the scripted service's HttpServer before the runtime's: set what the
    // runtime sets for its own process (RuntimeHttpServer), or Nagle's algorithm delays answers.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int modelMiB = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    Path work = Files.createTempDirectory("arca-runtime-bench");
    System.out.printf(
        "JDK %s, %d cores, %s %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
    try (ScriptedService service = new ScriptedService(Duration.ofHours(1))) {
      byte[] weights = new byte[modelMiB << 20];
      new Random(42).nextBytes(weights);
      byte[] onnx = OnnxGraphs.gather(weights);
      weights = null;
      service.publish(
          "big",
          1,
          onnx,
          List.of(TensorSpec.of("i", "int64", 1)),
          List.of(TensorSpec.of("y", "float32", 1)),
          "synthetic");
      // The baseline's plaintext file: this benchmark's own random model, deleted at the end.
      Path plain = Files.write(work.resolve("big.onnx"), onnx);
      Path publishers =
          Files.writeString(work.resolve("publishers.json"), service.publishers().toJson());
      long modelBytes = onnx.length;
      onnx = null;
      System.out.printf("model: %.1f MiB ONNX (one float32 initializer)%n", modelBytes / 1048576.0);

      bootAndRss(service, plain, publishers, work, reps, modelBytes);
      perRequest(service, work, requests);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ---- (a) boot to ready and (c) peak RSS, each load in a fresh JVM ----

  /** What one {@link BootProbe} child printed. */
  private record Probe(long bootMs, long vmHwmKib, String steps) {}

  private static void bootAndRss(
      ScriptedService service, Path plain, Path publishers, Path work, int reps, long modelBytes)
      throws Exception {
    System.out.println();
    System.out.println(
        "(a) boot to ready, fresh JVM per load ("
            + System.getProperty("bench.jvm", PROBE_JVM)
            + "), JVM start excluded, "
            + reps
            + " interleaved rounds, ms");
    long[] plainMs = new long[reps];
    long[] coldMs = new long[reps];
    long[] warmMs = new long[reps];
    long[] plainKib = new long[reps];
    long[] coldKib = new long[reps];
    long[] warmKib = new long[reps];
    String coldSteps = "";
    String warmSteps = "";
    for (int r = 0; r < reps; r++) {
      Probe p = probe("plain", plain.toString());
      String state = work.resolve("state-" + r).toString();
      Probe c = probe("sealed", service.uri().toString(), publishers.toString(), state, "big");
      Probe w = probe("sealed", service.uri().toString(), publishers.toString(), state, "big");
      plainMs[r] = p.bootMs();
      coldMs[r] = c.bootMs();
      warmMs[r] = w.bootMs();
      plainKib[r] = p.vmHwmKib();
      coldKib[r] = c.vmHwmKib();
      warmKib[r] = w.vmHwmKib();
      coldSteps = c.steps();
      warmSteps = w.steps();
      System.out.printf(
          "  round %d: plaintext file %d, sealed first boot %d, sealed restart %d%n",
          r, p.bootMs(), c.bootMs(), w.bootMs());
    }
    double pm = median(plainMs);
    double cm = median(coldMs);
    double wm = median(warmMs);
    System.out.printf("  median plaintext file (ORT session from path)  %6.0f%n", pm);
    System.out.printf(
        "  median sealed, first boot (with download)      %6.0f  ratio %.2f%n", cm, cm / pm);
    System.out.printf(
        "  median sealed, restart (package in state dir)  %6.0f  ratio %.2f  (goal <= 1.3)%n",
        wm, wm / pm);
    figure("boot, sealed restart", wm, "ms", "plaintext boot", wm / pm, "ratio<=1.3");
    figure("boot, sealed first boot", cm, "ms", "plaintext boot", cm / pm, "-");
    System.out.println("  steps of the last first boot (ms since main): " + coldSteps);
    System.out.println("  steps of the last restart (ms since main):    " + warmSteps);

    long floor = probe("jvm").vmHwmKib();
    double mib = modelBytes / 1048576.0;
    System.out.println();
    System.out.println("(c) peak RSS (VmHWM) of the same child JVMs, median");
    System.out.printf("  model size                          %6.0f MiB%n", mib);
    System.out.printf("  JVM + ONNX Runtime, no model        %6.0f MiB%n", floor / 1024.0);
    for (var row :
        List.of(
            Map.entry("plaintext file, ORT session       ", plainKib),
            Map.entry("sealed, first boot                ", coldKib),
            Map.entry("sealed, restart                   ", warmKib))) {
      double kib = median(row.getValue());
      System.out.printf(
          "  %s %6.0f MiB  %.2fx model; above the floor %.2fx%n",
          row.getKey(), kib / 1024.0, kib / 1024.0 / mib, (kib - floor) / 1024.0 / mib);
      figure(
          "peak RSS, " + row.getKey().trim(),
          kib / 1024.0,
          "MiB",
          "model size",
          kib / 1024.0 / mib,
          row.getValue() == plainKib ? "-" : "ratio<=1.5");
    }
    System.out.println("  (goal: sealed <= 1.5x model)");
  }

  private static Probe probe(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The model lives off-heap (decrypted into a direct buffer, then in ONNX Runtime's memory), so
    // the heap can be small; direct memory must hold the largest model.
    cmd.addAll(List.of(System.getProperty("bench.jvm", PROBE_JVM).split(" ")));
    cmd.add("-XX:+DisableAttachMechanism");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BootProbe.class.getName());
    cmd.addAll(List.of(args));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), UTF_8);
    if (!proc.waitFor(300, TimeUnit.SECONDS) || proc.exitValue() != 0) {
      proc.destroyForcibly();
      throw new IllegalStateException("probe " + args[0] + " failed: " + out);
    }
    long boot = 0;
    long hwm = -1;
    String steps = "";
    for (String line : out.split("\n", -1)) {
      if (line.startsWith("boot_ms=")) {
        boot = Long.parseLong(line.substring(8).strip());
      } else if (line.startsWith("vmhwm_kib=")) {
        hwm = Long.parseLong(line.substring(10).strip());
      } else if (line.startsWith("steps=")) {
        steps = line.substring(6);
      }
    }
    if (hwm < 0) {
      throw new IllegalStateException("probe printed no VmHWM: " + out);
    }
    return new Probe(boot, hwm, steps);
  }

  // ---- (b) per request ----

  private static void perRequest(ScriptedService service, Path work, int n) throws Exception {
    byte[] onnx = resource("test_Conv2d/model.onnx");
    Tensor input = TensorProtoCodec.decode(resource("test_Conv2d/test_data_set_0/input_0.pb"), "x");
    Tensor expected =
        TensorProtoCodec.decode(resource("test_Conv2d/test_data_set_0/output_0.pb"), "y");
    String inputName;
    String outputName;
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession direct = ENV.createSession(onnx, o)) {
      inputName = direct.getInputNames().iterator().next();
      outputName = direct.getOutputNames().iterator().next();
    }
    service.publish(
        "conv2d",
        1,
        onnx,
        List.of(TensorSpec.of(inputName, "float32", input.shape())),
        List.of(TensorSpec.of(outputName, "float32", expected.shape())),
        "synthetic");
    Path state = work.resolve("state-infer");
    try (RuntimeAgent agent =
            new RuntimeAgent(
                new RuntimeAgent.Config(
                    service.uri(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    state,
                    List.of(new ServiceClient.ModelRequest("conv2d", "synthetic")),
                    service.publishers(),
                    true),
                DevRuntimeAttester.open(state, Clock.systemUTC()),
                Clock.systemUTC(),
                line -> {});
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession direct = ENV.createSession(onnx, o)) {
      agent.boot();
      OhttpInference client = new OhttpInference(agent.port());
      float[] x = input.floats();
      long[] shape = input.shape();
      InferenceMessages.Request request =
          new InferenceMessages.Request(
              "conv2d", "synthetic", "bench", Map.of(inputName, input.named(inputName)));
      // The same exchange without the HTTP transport: OHTTP both ways, the JSON tensor encoding,
      // the lease and signature checks and the run, all in this thread.
      HpkePrivateKey key = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, RANDOM);
      KeyConfig keyConfig =
          KeyConfig.of(
              1,
              key.publicKey(),
              List.of(KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM)));
      OhttpGateway gateway = OhttpGateway.of(keyConfig, key);
      ModelHost host = new ModelHost();
      ByteBuffer model = ByteBuffer.allocateDirect(onnx.length);
      model.put(onnx).flip();
      Manifest manifest =
          Manifest.builder()
              .modelId("conv2d")
              .version(1)
              .plaintextSha256(new byte[32])
              .plaintextSize(onnx.length)
              .input(TensorSpec.of(inputName, "float32", input.shape()))
              .output(TensorSpec.of(outputName, "float32", expected.shape()))
              .dataClass("synthetic")
              .minRuntimeVersion("0.1.0")
              .createdAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
              .publisherKeyId("publisher-1")
              .build();
      java.time.Instant far = java.time.Instant.now().plusSeconds(3600);
      host.install(
          new LoadedModel(
              manifest,
              OnnxModel.load(model),
              new Lease("conv2d", 1, java.util.Set.of("synthetic"), far, far)));
      InferenceHandler handler =
          new InferenceHandler(
              host,
              Clock.systemUTC(),
              () -> new dev.arca.runtime.lease.Standing.Online(java.time.Instant.EPOCH));
      InferenceTarget target = new InferenceTarget(handler);
      byte[] plaintextRequest = InferenceHttp.encodeRequest(request, "127.0.0.1");
      // The baseline the goal names: the same request in plaintext over HTTP to the same kind of
      // server (the JDK's, Nagle off and a fixed pool as RuntimeHttpServer sets them), served by
      // the same handler: everything the encrypted request does except OHTTP.
      HttpServer plainServer =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService plainWorkers =
          Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
      plainServer.setExecutor(plainWorkers);
      plainServer.createContext(
          "/plain",
          ex -> {
            byte[] answer = target.serve(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(200, answer.length);
            try (var body = ex.getResponseBody()) {
              body.write(answer);
            }
          });
      plainServer.start();
      HttpClient plainClient = HttpClient.newHttpClient();
      HttpRequest plainPost =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + plainServer.getAddress().getPort() + "/plain"))
              .POST(HttpRequest.BodyPublishers.ofByteArray(plaintextRequest))
              .build();

      int warm = Math.max(200, n / 5);
      double[] d = new double[n];
      double[] e = new double[n];
      double[] q = new double[n];
      double[] h = new double[n];
      for (int i = -warm; i < n; i++) {
        long t0 = System.nanoTime();
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), shape);
            OrtSession.Result r = direct.run(Map.of(inputName, t))) {
          if (r.get(0).getValue() == null) {
            throw new IllegalStateException("no output");
          }
        }
        long t1 = System.nanoTime();
        Object a = client.infer(request);
        long t2 = System.nanoTime();
        if (!(a instanceof InferenceMessages.Response)) {
          throw new IllegalStateException("refused: " + a);
        }
        OhttpClient.Request req =
            OhttpClient.encapsulateRequest(keyConfig, plaintextRequest, RANDOM);
        OhttpGateway.Request in = gateway.decapsulateRequest(req.encapsulated());
        byte[] res = in.encapsulateResponse(target.serve(in.message()), RANDOM);
        Object local =
            InferenceHttp.decodeAnswer(req.decapsulateResponse(MediaTypes.RESPONSE, res));
        long t3 = System.nanoTime();
        if (!(local instanceof InferenceMessages.Response)) {
          throw new IllegalStateException("refused: " + local);
        }
        Object plain =
            InferenceHttp.decodeAnswer(
                plainClient.send(plainPost, HttpResponse.BodyHandlers.ofByteArray()).body());
        long t4 = System.nanoTime();
        if (!(plain instanceof InferenceMessages.Response)) {
          throw new IllegalStateException("refused: " + plain);
        }
        if (i >= 0) {
          d[i] = (t1 - t0) / 1e6;
          e[i] = (t2 - t1) / 1e6;
          q[i] = (t3 - t2) / 1e6;
          h[i] = (t4 - t3) / 1e6;
        }
      }
      plainServer.stop(0);
      plainWorkers.shutdown();
      host.close();
      Arrays.sort(d);
      Arrays.sort(e);
      Arrays.sort(q);
      Arrays.sort(h);
      System.out.println();
      System.out.printf(
          "(b) per request, test_Conv2d, %d interleaved pairs after %d warm-up, ms%n", n, warm);
      percentiles("direct ORT run         ", d);
      percentiles("encrypted via /v1/infer", e);
      percentiles("encrypted, no HTTP     ", q);
      percentiles("plaintext via HTTP     ", h);
      added("via /v1/infer", e, "plaintext request over HTTP", h, "value<=0.5");
      added("via /v1/infer, beside the direct run", e, "direct ORT run", d, "-");
      added("without HTTP", q, "direct ORT run", d, "-");
    }
  }

  private static void percentiles(String label, double[] sorted) {
    System.out.printf(
        "  %s p50 %.3f  p90 %.3f  p99 %.3f%n",
        label, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99));
  }

  /** The p50 {@code measured} adds to {@code baseline}, printed and as a figure line. */
  private static void added(
      String name, double[] measured, String baselineName, double[] baseline, String goal) {
    double added = pct(measured, 50) - pct(baseline, 50);
    System.out.printf("  added at p50, %s beside %s: %.3f ms%n", name, baselineName, added);
    figure(
        "request p50 added, " + name,
        added,
        "ms",
        baselineName,
        pct(measured, 50) / pct(baseline, 50),
        goal);
  }

  private static void figure(
      String name, double value, String unit, String baseline, double ratio, String goal) {
    Figure.of(name, value, unit, baseline, ratio, goal).print(); // read by ./arca bench
  }

  // ---- helpers ----

  private static byte[] resource(String path) throws Exception {
    try (InputStream in = RuntimeBenchmarks.class.getResourceAsStream("/vectors/onnx/" + path)) {
      return in.readAllBytes();
    }
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }
}
