// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import java.time.Instant;
import java.util.Objects;

/**
 * What the runtime last heard from the attestation service, which decides how long a {@link Lease}
 * lasts. Immutable.
 *
 * <ul>
 *   <li>{@link Online}: the last attestation succeeded; leases end at {@code expiresAt}.
 *   <li>{@link Offline}: the service could not be used (I/O error, timeout, HTTP 5xx, 408 or 429);
 *       leases run on until their {@code offlineUntil}.
 *   <li>{@link Refused}: the service answered with a definitive refusal (any other HTTP 4xx, e.g.
 *       the device is revoked); nothing is served, whatever the leases say, until an attestation
 *       succeeds again.
 * </ul>
 */
public sealed interface Standing {
  /** The last attestation succeeded at {@code at}. */
  record Online(Instant at) implements Standing {
    public Online {
      Objects.requireNonNull(at, "at");
    }
  }

  /** The service was unusable since {@code since}, for {@code reason} (never a secret). */
  record Offline(Instant since, String reason) implements Standing {
    public Offline {
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The service refused this runtime at {@code at} with HTTP {@code status} and RFC 9457 problem
   * {@code type}.
   */
  record Refused(Instant at, int status, String type) implements Standing {
    public Refused {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * Whether an HTTP status from the service is a definitive refusal: a 4xx other than 408 (request
   * timeout) and 429 (too many requests), which say the service is busy, not that it refuses.
   */
  static boolean isRefusal(int httpStatus) {
    return httpStatus / 100 == 4 && httpStatus != 408 && httpStatus != 429;
  }

  /** Whether leases end at {@code expiresAt} (online) rather than {@code offlineUntil}. */
  default boolean online() {
    return this instanceof Online;
  }

  /** {@code online}, {@code offline} or {@code refused}, as {@code /healthz} reports it. */
  default String name() {
    if (this instanceof Online) {
      return "online";
    }
    return this instanceof Offline ? "offline" : "refused";
  }
}
