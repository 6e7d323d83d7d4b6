// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces a grant's {@code maxRequestsPerMinute}: counts the requests admitted for each model and
 * data class in fixed one-minute windows of the runtime's clock (minute {@code floor(epochSecond /
 * 60)}) and admits no more than the limit in a window. Counted per model and data class (the policy
 * decides each class of a model apart), not per grant, so the count carries over when a
 * re-attestation renews the grant or swaps in a new version (a new grant id must not reset it).
 * Thread-safe: concurrent requests for one model and class never admit more than the limit.
 */
final class RequestRate {
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    private long minute = Long.MIN_VALUE;
    private int admitted;
  }

  /**
   * Admits one request for {@code modelId} on {@code dataClass} at {@code now} if fewer than {@code
   * limit} were admitted for them in the current minute window.
   *
   * @param limit at least 1
   * @return whether the request is admitted (and counted)
   */
  boolean admit(String modelId, String dataClass, int limit, Instant now) {
    long minute = Math.floorDiv(now.getEpochSecond(), 60);
    // Model ids and data classes hold no NUL, so the pair's key is unambiguous.
    Window w = windows.computeIfAbsent(modelId + '\0' + dataClass, k -> new Window());
    synchronized (w) {
      // A clock stepped back stays in the later window: never a fresh allowance from a step back.
      if (minute > w.minute) {
        w.minute = minute;
        w.admitted = 0;
      }
      if (w.admitted >= limit) {
        return false;
      }
      w.admitted++;
      return true;
    }
  }

  /** Start of the window after the one {@code now} is in. */
  static Instant nextWindow(Instant now) {
    return Instant.ofEpochSecond((Math.floorDiv(now.getEpochSecond(), 60) + 1) * 60);
  }
}
