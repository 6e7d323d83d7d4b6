// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The service's clock in tests: the real UTC clock plus an offset that a test can move forward, to
 * check expiry (nonces, keys) without waiting. Replaces the default {@code Clock} bean.
 */
@Mock
@ApplicationScoped
public class TestClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /**
   * Moves time forward by {@code d} until {@link #reset()}: a test that moves it resets it in a
   * {@code finally}, so no other test runs on a skewed clock (and token times stay checkable to the
   * second).
   */
  public void advance(Duration d) {
    offset = offset.plus(d);
  }

  /** Back to the real time: a test that moved the clock puts it back, so others see no skew. */
  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
