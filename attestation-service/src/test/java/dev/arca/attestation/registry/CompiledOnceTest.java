// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link CompiledOnce}: one compilation per version, however many ask at once. */
class CompiledOnceTest {

  @Test
  void manyThreadsAskingForTheSameVersionCompileItOnce() throws Exception {
    CompiledOnce<String, String> policy = new CompiledOnce<>();
    AtomicInteger compilations = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return policy.get(
                      "fleet@1",
                      () -> {
                        compilations.incrementAndGet();
                        sleep(200);
                        return "compiled fleet@1";
                      });
                }));
      }
      start.countDown();
      for (Future<String> a : answers) {
        assertThat(a.get()).isEqualTo("compiled fleet@1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(compilations).hasValue(1);
    assertThat(policy.current()).contains("compiled fleet@1");
  }

  @Test
  void aNewVersionIsCompiledAndAFailedCompilationKeepsTheCurrentOne() {
    CompiledOnce<String, String> policy = new CompiledOnce<>();
    assertThat(policy.current()).isEmpty();
    assertThat(policy.get("p@1", () -> "one")).isEqualTo("one");
    assertThat(policy.get("p@1", () -> "never")).isEqualTo("one");
    assertThatThrownBy(
            () ->
                policy.get(
                    "p@2",
                    () -> {
                      throw new IllegalStateException("does not compile");
                    }))
        .hasMessage("does not compile");
    assertThat(policy.current()).contains("one");
    assertThat(policy.get("p@2", () -> "two")).isEqualTo("two");
    policy.clear();
    assertThat(policy.current()).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
