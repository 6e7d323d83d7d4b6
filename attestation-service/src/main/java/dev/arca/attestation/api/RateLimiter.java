// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client address, a device id): a key may spend {@code capacity} requests
 * at once and earns them back at {@code capacity} per {@code period}. At most {@code maxKeys}
 * buckets are held, the least recently used dropped first, so a caller inventing keys cannot grow
 * the limiter itself; a dropped bucket starts full again, which only ever lets through a request
 * that would otherwise have waited. Thread-safe.
 */
public final class RateLimiter {
  private final double capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets;

  /**
   * @param capacity requests allowed at once, and per period
   * @param period the time in which an empty bucket fills again
   * @param maxKeys the most buckets held
   * @param nanoTime the monotonic clock ({@code System::nanoTime})
   */
  public RateLimiter(int capacity, Duration period, int maxKeys, LongSupplier nanoTime) {
    if (capacity < 1 || period.isZero() || period.isNegative() || maxKeys < 1) {
      throw new IllegalArgumentException(
          "a rate limit needs a capacity, a period and room for keys: "
              + capacity
              + " per "
              + period
              + ", "
              + maxKeys
              + " keys");
    }
    this.capacity = capacity;
    this.tokensPerNano = capacity / (double) period.toNanos();
    this.nanoTime = nanoTime;
    this.buckets = new Lru(maxKeys);
  }

  /**
   * Takes one request from {@code key}'s bucket.
   *
   * @return 0 when the request may go ahead; otherwise the whole seconds (at least 1) after which
   *     it would, for a {@code Retry-After} header
   */
  public synchronized long acquire(String key) {
    long now = nanoTime.getAsLong();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * tokensPerNano);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    double waitNanos = (1 - b.tokens) / tokensPerNano;
    return Math.max(1, (long) Math.ceil(waitNanos / 1e9));
  }

  /** The number of buckets held now: never more than {@code maxKeys}. */
  public synchronized int size() {
    return buckets.size();
  }

  /** One key's tokens as of {@code at} (nanoTime). */
  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /** Access-ordered, dropping the least recently used bucket past the bound. */
  private static final class Lru extends LinkedHashMap<String, Bucket> {
    private static final long serialVersionUID = 1L;
    private final int maxKeys;

    Lru(int maxKeys) {
      super(16, 0.75f, true);
      this.maxKeys = maxKeys;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > maxKeys;
    }
  }
}
