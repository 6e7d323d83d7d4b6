// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void waitsDoubleWithJitterUpToTheCapAndASuccessStartsOver() {
    Backoff b = Backoff.standard(new SplittableRandom(7));
    long[] ceilings = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000};
    for (long ceiling : ceilings) {
      long wait = b.failed().toMillis();
      assertThat(wait).as("ceiling %d", ceiling).isBetween(ceiling / 2, ceiling);
    }
    assertThat(b.failures()).isEqualTo(ceilings.length);
    b.succeeded();
    assertThat(b.failures()).isZero();
    assertThat(b.failed().toMillis()).isBetween(500L, 1_000L);
  }

  @Test
  void theJitterSpreadsAFleetThatFailedTogether() {
    List<Duration> fifthWaits = new ArrayList<>();
    for (int device = 0; device < 20; device++) {
      Backoff b = Backoff.standard(new SplittableRandom(device));
      Duration wait = Duration.ZERO;
      for (int i = 0; i < 5; i++) {
        wait = b.failed();
      }
      fifthWaits.add(wait);
    }
    assertThat(fifthWaits.stream().distinct().count()).isGreaterThan(15);
  }

  @Test
  void aFailureCountFarBeyondTheCapStaysAtTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), new SplittableRandom(1));
    for (int i = 0; i < 10_000; i++) {
      assertThat(b.failed().toMillis()).isBetween(0L, 40L);
    }
  }

  @Test
  void nonsensicalBoundsAreRefused() {
    assertThatThrownBy(
            () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
