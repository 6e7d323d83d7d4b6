// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The obligations a grant carries (the {@code obligations} object of a grant, docs/api.md): what
 * the service's policy requires of the runtime while it serves the model. Immutable.
 *
 * <ul>
 *   <li>{@code leaseSeconds}, {@code offlineAllowanceSeconds}: the grant's {@code leaseExpiresAt}
 *       and {@code offlineUntil} are what the runtime enforces ({@link Lease}). The presence of
 *       {@code offlineAllowanceSeconds} says the policy allows offline use at all: only then does a
 *       TPM device keep the grant sealed for a reboot during an outage ({@link SealedLease}).
 *   <li>{@code maxRequestsPerMinute}: at most that many inference requests for this grant's model
 *       in one minute of the runtime's clock; more are refused with {@code infer.rate-limited}.
 *   <li>{@code reattestationSeconds}: the runtime attests again no later than that many seconds
 *       after its last successful attestation.
 * </ul>
 *
 * Keys this runtime does not know are kept in {@link #unknown()} so that the runtime can say it
 * ignores them.
 */
public final class Obligations {
  /** No obligations. */
  public static final Obligations NONE = new Obligations(Map.of());

  private static final Set<String> KNOWN =
      Set.of(
          "leaseSeconds",
          "offlineAllowanceSeconds",
          "maxRequestsPerMinute",
          "reattestationSeconds");

  private final Map<String, Long> values;

  private Obligations(Map<String, Long> values) {
    this.values = values;
  }

  /**
   * Reads obligations from their numeric values by key.
   *
   * @throws IllegalArgumentException if a known obligation is not positive, or {@code
   *     maxRequestsPerMinute} does not fit an int
   */
  public static Obligations of(Map<String, Long> values) {
    Map<String, Long> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          Objects.requireNonNull(v, k);
          if (KNOWN.contains(k) && v <= 0) {
            throw new IllegalArgumentException("obligation " + k + " must be positive, got " + v);
          }
          copy.put(k, v);
        });
    Long max = copy.get("maxRequestsPerMinute");
    if (max != null && max > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("obligation maxRequestsPerMinute is too large: " + max);
    }
    return new Obligations(Map.copyOf(copy));
  }

  /** The most inference requests per minute, if limited. */
  public OptionalInt maxRequestsPerMinute() {
    Long v = values.get("maxRequestsPerMinute");
    return v == null ? OptionalInt.empty() : OptionalInt.of(v.intValue());
  }

  /**
   * How long the policy lets the runtime serve without reaching the service, in seconds, if it
   * allows offline use at all.
   */
  public OptionalLong offlineAllowanceSeconds() {
    Long v = values.get("offlineAllowanceSeconds");
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** The longest time between two attestations, in seconds, if required. */
  public OptionalLong reattestationSeconds() {
    Long v = values.get("reattestationSeconds");
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** Keys this runtime does not enforce, sorted. */
  public Set<String> unknown() {
    Set<String> out = new TreeSet<>(values.keySet());
    out.removeAll(KNOWN);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Obligations other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return new java.util.TreeMap<>(values).toString();
  }
}
