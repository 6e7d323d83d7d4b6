// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff between attempts to reach the attestation service: the n-th
 * consecutive failure waits a random time in [d/2, d] where d = min(cap, first * 2^(n-1)). The
 * jitter keeps a fleet that lost its service together (a WAN outage, a service restart) from coming
 * back in lockstep. A success resets it. Thread-safe.
 */
public final class Backoff {
  private final Duration first;
  private final Duration cap;
  private final RandomGenerator random;
  private int failures;

  /**
   * @param first the longest wait after the first failure
   * @param cap the longest wait ever
   * @param random the jitter's source
   */
  public Backoff(Duration first, Duration cap, RandomGenerator random) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= cap, got " + first + ", " + cap);
    }
    this.first = first;
    this.cap = cap;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The runtime's default: 1 s after the first failure, doubling up to 60 s. */
  public static Backoff standard(RandomGenerator random) {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random);
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  public synchronized Duration failed() {
    failures++;
    long ceiling = first.toMillis();
    for (int i = 1; i < failures && ceiling < cap.toMillis(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, cap.toMillis());
    return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling - ceiling / 2 + 1));
  }

  /** Records a success: the next failure waits as little as the first one. */
  public synchronized void succeeded() {
    failures = 0;
  }

  /** Consecutive failures since the last success. */
  public synchronized int failures() {
    return failures;
  }
}
