// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.lease.Obligations;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.model.LoadedModel;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.runtime.testing.OnnxGraphs;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A grant's {@code maxRequestsPerMinute} in {@link InferenceHandler}, with real ONNX Runtime
 * sessions (a 4-element adder) and a clock the test moves: no test here depends on how long
 * anything takes.
 */
class RequestRateLimitTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final float[] W = {1f, 2f, 3f, 4f};

  private final MovableClock clock = new MovableClock(T0);
  private ModelHost host;
  private InferenceHandler handler;

  /** A clock that only moves when told to. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void start() throws Exception {
    host = new ModelHost();
    install("limited", Map.of("maxRequestsPerMinute", 3L));
    install("other", Map.of("maxRequestsPerMinute", 3L));
    install("unlimited", Map.of("leaseSeconds", 3600L));
    install("two-classes", Map.of("maxRequestsPerMinute", 3L), "synthetic", "phi");
    handler = new InferenceHandler(host, clock, () -> new Standing.Online(T0));
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private void install(String modelId, Map<String, Long> obligations) throws Exception {
    install(modelId, obligations, "synthetic");
  }

  private void install(String modelId, Map<String, Long> obligations, String... classes)
      throws Exception {
    byte[] onnx = OnnxGraphs.add(W);
    ByteBuffer direct = ByteBuffer.allocateDirect(onnx.length);
    direct.put(onnx).flip();
    Manifest.Builder manifest =
        Manifest.builder()
            .modelId(modelId)
            .version(1)
            .plaintextSha256(java.security.MessageDigest.getInstance("SHA-256").digest(onnx))
            .plaintextSize(onnx.length)
            .input(TensorSpec.of("x", "float32", 4))
            .output(TensorSpec.of("y", "float32", 4))
            .minRuntimeVersion("0.1.0")
            .createdAt(T0)
            .publisherKeyId("publisher-1");
    for (String c : classes) {
      manifest.dataClass(c);
    }
    Instant end = T0.plusSeconds(86_400);
    host.install(
        new LoadedModel(
            manifest.build(),
            OnnxModel.load(direct),
            new Lease(modelId, 1, Set.of(classes), end, end, Obligations.of(obligations))));
  }

  private Object infer(String modelId, String dataClass) throws Exception {
    return handler.handle(
        new InferenceMessages.Request(
            modelId,
            dataClass,
            "test",
            Map.of("x", Tensor.ofFloats("x", new long[] {4}, new float[] {1, 1, 1, 1}))));
  }

  private static void assertAnswered(Object answer) {
    assertThat(answer).isInstanceOf(InferenceMessages.Response.class);
    assertThat(((InferenceMessages.Response) answer).outputs().get("y").floats())
        .containsExactly(2f, 3f, 4f, 5f);
  }

  private static void assertRateLimited(Object answer) {
    assertRateLimited(answer, "2026-03-01T10:01:00Z");
  }

  private static void assertRateLimited(Object answer, String nextWindow) {
    assertThat(answer)
        .isInstanceOfSatisfying(
            InferenceMessages.Refusal.class,
            r -> {
              assertThat(r.id()).isEqualTo("infer.rate-limited");
              assertThat(r.message()).contains("3 requests per minute", nextWindow);
            });
  }

  @Test
  void theRequestOverTheLimitInAMinuteIsRefusedAndTheNextMinuteServesAgain() throws Exception {
    clock.set(T0.plusSeconds(10));
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("limited", "synthetic"));
    }
    clock.set(T0.plusSeconds(59));
    assertRateLimited(infer("limited", "synthetic"));
    assertRateLimited(infer("limited", "synthetic"));

    clock.set(T0.plusSeconds(60));
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("limited", "synthetic"));
    }
    assertRateLimited(infer("limited", "synthetic"), "2026-03-01T10:02:00Z");
  }

  @Test
  void eachGrantHasItsOwnCountAndAGrantWithoutTheObligationIsNotLimited() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("limited", "synthetic"));
    }
    assertRateLimited(infer("limited", "synthetic"));
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("other", "synthetic"));
    }
    assertRateLimited(infer("other", "synthetic"));
    for (int i = 0; i < 20; i++) {
      assertAnswered(infer("unlimited", "synthetic"));
    }
  }

  @Test
  void eachDataClassOfAModelHasItsOwnCount() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("two-classes", "synthetic"));
    }
    assertRateLimited(infer("two-classes", "synthetic"));
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("two-classes", "phi"));
    }
    assertRateLimited(infer("two-classes", "phi"));
  }

  @Test
  void requestsTheLeaseRefusesDoNotUseTheAllowance() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(infer("limited", "phi"))
          .isInstanceOfSatisfying(
              InferenceMessages.Refusal.class,
              r -> assertThat(r.id()).isEqualTo("lease.data-class-not-granted"));
    }
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("limited", "synthetic"));
    }
    assertRateLimited(infer("limited", "synthetic"));
  }

  @Test
  void clockSteppedBackDoesNotOpenAFreshWindow() throws Exception {
    clock.set(T0.plusSeconds(120));
    for (int i = 0; i < 3; i++) {
      assertAnswered(infer("limited", "synthetic"));
    }
    clock.set(T0.plusSeconds(30));
    assertThat(infer("limited", "synthetic"))
        .isInstanceOfSatisfying(
            InferenceMessages.Refusal.class,
            r -> assertThat(r.id()).isEqualTo("infer.rate-limited"));
  }

  @Test
  void concurrentRequestsNeverGetMoreThanTheLimit() throws Exception {
    int limit = 50;
    install("busy", Map.of("maxRequestsPerMinute", (long) limit));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Object>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(() -> infer("busy", "synthetic"));
      }
      int answered = 0;
      int limited = 0;
      for (Future<Object> f : pool.invokeAll(calls)) {
        Object a = f.get();
        if (a instanceof InferenceMessages.Response) {
          assertAnswered(a);
          answered++;
        } else {
          assertThat(((InferenceMessages.Refusal) a).id()).isEqualTo("infer.rate-limited");
          limited++;
        }
      }
      assertThat(answered).isEqualTo(limit);
      assertThat(limited).isEqualTo(200 - limit);
    } finally {
      pool.shutdownNow();
    }
  }
}
