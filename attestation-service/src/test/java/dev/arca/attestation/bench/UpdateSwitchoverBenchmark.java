// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import static dev.arca.attestation.bench.AttestationLoadBenchmark.activateTestPolicy;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.b64;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.post;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.publish;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.token;
import static dev.arca.attestation.bench.AttestationLoadBenchmark.trustPublisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.testing.TestModels;
import dev.arca.bench.Figure;
import dev.arca.client.RuntimeClient;
import dev.arca.client.load.SteadyLoad;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.devstack.RunningKeycloak;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.service.ServiceClient.ModelRequest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Update switch-over benchmark (issue 17): the packaged service and a real Keycloak as processes,
 * the device runtime ({@code dev} attester) in this process, and an application sending a request
 * every 20 ms to the runtime (test_Conv2d, synthetic data). After a steady phase, version after
 * version is published, each after 3 s more of steady load; the runtime hears of each by its event
 * long poll, downloads, verifies, loads it beside the old one and switches. Prints, against the
 * steady phase measured in the same run: failed requests (goal 0), p50/p99 latency in the window
 * from each publication to 2 s after the new version's first answer, and the time from publication
 * to that first answer (goal under 5 s on loopback, including the download).
 *
 * <p>Usage (after {@code ./mvnw -pl attestation-service -am package}): see docs/benchmarks.md.
 * Arguments: swaps (default 5), seconds of steady load (default 20).
 */
public final class UpdateSwitchoverBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "bench-conv2d";
  private static final String INPUT = "0";

  private UpdateSwitchoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int swaps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int steadySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    try (AttestationLoadBenchmark.BenchStack stack = AttestationLoadBenchmark.BenchStack.start()) {
      RunningKeycloak kc = stack.keycloak();
      String base = stack.base();
      String admin = token(kc, "policy-admin");
      String publisher = token(kc, "model-publisher");
      trustPublisher(base, admin);
      activateTestPolicy(base, admin);
      byte[] onnx = resource("model.onnx");
      Tensor input = TensorProtoCodec.decode(resource("test_data_set_0/input_0.pb"), INPUT);
      Tensor output = TensorProtoCodec.decode(resource("test_data_set_0/output_0.pb"), "y");
      publish(base, publisher, conv2d(1, onnx, input, output));

      Path state = stack.data().resolve("runtime-state");
      DevRuntimeAttester attester = DevRuntimeAttester.open(state, Clock.systemUTC());
      post(
          base + "/v1/devices",
          token(kc, "device-admin"),
          "application/json",
          JSON.writeValueAsBytes(
              Map.of(
                  "id",
                  attester.deviceId(),
                  "format",
                  "dev",
                  "enrolment",
                  Map.of("publicKey", b64(attester.publicKey())))),
          201);
      List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (RuntimeAgent runtime =
          new RuntimeAgent(
              new RuntimeAgent.Config(
                  URI.create(base),
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  state,
                  List.of(new ModelRequest(MODEL, "synthetic")),
                  PublisherKeyRing.of(TestModels.signer().publicKey()),
                  false),
              attester,
              Clock.systemUTC(),
              log::add)) {
        runtime.boot();
        RuntimeClient app =
            RuntimeClient.connect(
                URI.create("http://127.0.0.1:" + runtime.port()), URI.create(base));
        measure(swaps, steadySeconds, app, input, base, publisher, onnx, output);
      }
    }
  }

  private static void measure(
      int swaps,
      int steadySeconds,
      RuntimeClient app,
      Tensor input,
      String base,
      String publisher,
      byte[] onnx,
      Tensor output)
      throws Exception {
    // Steady windows (the baseline) and swap windows alternate, so JIT warm-up and machine load
    // weigh on both alike.
    List<long[]> calm = new ArrayList<>();
    List<long[]> windows = new ArrayList<>();
    List<Double> publishToServe = new ArrayList<>();
    List<SteadyLoad.Sample> samples;
    // A request every 20 ms: under the test policy's 6000 requests per minute.
    try (SteadyLoad load =
        SteadyLoad.start(
            () -> app.infer(MODEL, "synthetic", "bench", Map.of(INPUT, input)).version(),
            Duration.ofMillis(20))) {
      await(() -> load.answered(1) > 0, "version 1 answering");
      Thread.sleep(2_000); // warm-up, not counted
      long steadyFrom = System.nanoTime();
      Thread.sleep(steadySeconds * 1000L);
      calm.add(new long[] {steadyFrom, System.nanoTime()});
      for (long v = 2; v < 2 + swaps; v++) {
        long version = v;
        long calmFrom = System.nanoTime();
        Thread.sleep(3_000);
        calm.add(new long[] {calmFrom, System.nanoTime()});
        long published = System.nanoTime();
        publish(base, publisher, conv2d(version, onnx, input, output));
        await(() -> load.answered(version) > 0, "version " + version + " answering");
        long served = System.nanoTime();
        publishToServe.add((served - published) / 1e9);
        Thread.sleep(2_000);
        windows.add(new long[] {published, System.nanoTime()});
        Thread.sleep(1_000);
      }
      samples = load.samples();
    }
    List<Long> steady = new ArrayList<>();
    List<Long> swapping = new ArrayList<>();
    long failed = 0;
    for (SteadyLoad.Sample s : samples) {
      if (s.version() == SteadyLoad.FAILED) {
        failed++;
      }
      if (within(s, calm)) {
        steady.add(s.nanos());
      }
      if (within(s, windows)) {
        swapping.add(s.nanos());
      }
    }
    double steadyP99 = percentile(steady, 0.99);
    double swapP99 = percentile(swapping, 0.99);
    System.out.printf(
        "machine: %d cores, JDK %s; a request every 20 ms; %d swaps%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), swaps);
    System.out.printf(
        "steady (baseline)        %5d requests  p50 %6.2f ms  p99 %6.2f ms%n",
        steady.size(), percentile(steady, 0.5), steadyP99);
    System.out.printf(
        "during swaps             %5d requests  p50 %6.2f ms  p99 %6.2f ms  p99 ratio %.2f%n",
        swapping.size(), percentile(swapping, 0.5), swapP99, swapP99 / steadyP99);
    System.out.printf("failed requests          %5d of %d (goal 0)%n", failed, samples.size());
    publishToServe.sort(Double::compare);
    System.out.printf(
        "publication to first answer of the new version: median %.2f s, max %.2f s (goal < 5 s)%n",
        publishToServe.get(publishToServe.size() / 2),
        publishToServe.get(publishToServe.size() - 1));
    Figure.of("failed requests during swaps", (double) failed, "", "-", Double.NaN, "value<=0")
        .print();
    Figure.of("p99 during swaps", swapP99, "ms", "steady p99", swapP99 / steadyP99, "-").print();
    Figure.of(
            "publication to first answer, max",
            publishToServe.get(publishToServe.size() - 1),
            "s",
            "-",
            Double.NaN,
            "value<=5")
        .print();
  }

  private static boolean within(SteadyLoad.Sample s, List<long[]> windows) {
    return windows.stream().anyMatch(w -> s.startNanos() >= w[0] && s.startNanos() < w[1]);
  }

  private static TestModels.Sealed conv2d(long version, byte[] onnx, Tensor input, Tensor output) {
    return TestModels.seal(
        MODEL,
        version,
        List.of("synthetic"),
        onnx,
        TensorSpec.of(INPUT, "float32", input.shape()),
        TensorSpec.of("y", "float32", output.shape()));
  }

  private static double percentile(List<Long> nanos, double p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(Long::compare);
    return sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p)) / 1e6;
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("never happened in a minute: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static byte[] resource(String path) throws Exception {
    try (InputStream in =
        UpdateSwitchoverBenchmark.class.getResourceAsStream("/vectors/onnx/test_Conv2d/" + path)) {
      return in.readAllBytes();
    }
  }
}
