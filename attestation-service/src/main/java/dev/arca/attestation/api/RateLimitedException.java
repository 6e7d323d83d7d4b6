// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.util.Map;

/**
 * A request over a rate limit: {@code 429 rate-limited}, answered with a {@code Retry-After} header
 * of {@link #retryAfterSeconds()} ({@link ProblemResponses}).
 */
public final class RateLimitedException extends ProblemException {

  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  /**
   * @param limit the limit's name, e.g. {@code challenges-per-address}
   * @param retryAfterSeconds when the request would be let through, at least 1
   */
  public RateLimitedException(String limit, long retryAfterSeconds) {
    super(
        ProblemType.RATE_LIMITED,
        "too many requests (" + limit + "); retry in " + retryAfterSeconds + " s",
        Map.of("limit", limit));
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
