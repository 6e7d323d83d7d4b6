// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private RateLimiter limiter(int capacity, int maxKeys) {
    return new RateLimiter(capacity, Duration.ofMinutes(1), maxKeys, now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aBurstUpToTheCapacityThenTheSecondsUntilTheNextToken() {
    RateLimiter l = limiter(30, 10);
    for (int i = 0; i < 30; i++) {
      assertThat(l.acquire("edge-1")).isZero();
    }
    // 30 a minute: one token every 2 s.
    assertThat(l.acquire("edge-1")).isEqualTo(2);
    advance(Duration.ofMillis(1500));
    assertThat(l.acquire("edge-1")).isEqualTo(1);
    advance(Duration.ofMillis(500));
    assertThat(l.acquire("edge-1")).isZero();
    assertThat(l.acquire("edge-1")).isEqualTo(2);
    // Other keys have their own buckets.
    assertThat(l.acquire("edge-2")).isZero();
  }

  @Test
  void anIdleKeyRefillsToTheCapacityAndNoMore() {
    RateLimiter l = limiter(3, 10);
    for (int i = 0; i < 3; i++) {
      l.acquire("a");
    }
    advance(Duration.ofHours(5));
    for (int i = 0; i < 3; i++) {
      assertThat(l.acquire("a")).isZero();
    }
    assertThat(l.acquire("a")).isPositive();
  }

  @Test
  void inventedKeysNeverHoldMoreThanTheBoundAndTheRecentKeyStaysLimited() {
    RateLimiter l = limiter(2, 100);
    l.acquire("flooder");
    l.acquire("flooder");
    for (int i = 0; i < 10_000; i++) {
      l.acquire("device-" + i);
      if (i % 50 == 0) {
        // Still limited: used recently, so never the bucket dropped.
        assertThat(l.acquire("flooder")).isPositive();
      }
    }
    assertThat(l.size()).isEqualTo(100);
  }

  @Test
  void aLimitWithoutCapacityPeriodOrRoomIsRefused() {
    assertThatThrownBy(() -> new RateLimiter(0, Duration.ofMinutes(1), 10, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, Duration.ZERO, 10, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, Duration.ofMinutes(1), 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
