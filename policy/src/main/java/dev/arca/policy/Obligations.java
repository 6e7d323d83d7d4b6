// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Conditions attached to a permit: how long the key lease lasts, how long the device may serve
 * while offline, how many requests per minute it may serve, and how often it must re-attest. Each
 * is optional; an absent value means the policy sets no limit and the service applies its own
 * default.
 *
 * <p>Immutable. {@link #mostRestrictive(Obligations)} combines two sets of obligations by keeping,
 * for each kind, the smaller value (shorter lease, shorter offline allowance, fewer requests,
 * shorter re-attestation interval): a decision's obligations satisfy every matching permit rule.
 */
public final class Obligations {

  /** No obligations at all. */
  public static final Obligations NONE = new Obligations(null, null, null, null);

  private final Duration leaseLength;
  private final Duration offlineAllowance;
  private final Integer maxRequestsPerMinute;
  private final Duration reattestationInterval;

  private Obligations(
      Duration leaseLength,
      Duration offlineAllowance,
      Integer maxRequestsPerMinute,
      Duration reattestationInterval) {
    this.leaseLength = positive(leaseLength, "leaseLength");
    this.offlineAllowance = positive(offlineAllowance, "offlineAllowance");
    if (maxRequestsPerMinute != null && maxRequestsPerMinute < 1) {
      throw new IllegalArgumentException("maxRequestsPerMinute must be at least 1");
    }
    this.maxRequestsPerMinute = maxRequestsPerMinute;
    this.reattestationInterval = positive(reattestationInterval, "reattestationInterval");
  }

  /** Starts an empty set of obligations. */
  public static Builder builder() {
    return new Builder();
  }

  /** How long a key grant stays valid before the device must come back. */
  public Optional<Duration> leaseLength() {
    return Optional.ofNullable(leaseLength);
  }

  /** How long the device may keep serving without reaching the service. */
  public Optional<Duration> offlineAllowance() {
    return Optional.ofNullable(offlineAllowance);
  }

  /** The most inference requests the device may serve per minute for this grant. */
  public OptionalInt maxRequestsPerMinute() {
    return maxRequestsPerMinute == null
        ? OptionalInt.empty()
        : OptionalInt.of(maxRequestsPerMinute);
  }

  /** How often the device must attest again. */
  public Optional<Duration> reattestationInterval() {
    return Optional.ofNullable(reattestationInterval);
  }

  /** True when no obligation is set. */
  public boolean isEmpty() {
    return leaseLength == null
        && offlineAllowance == null
        && maxRequestsPerMinute == null
        && reattestationInterval == null;
  }

  /**
   * The obligations that satisfy both this and {@code other}: for each kind the smaller value, or
   * the one that is set when only one is.
   */
  public Obligations mostRestrictive(Obligations other) {
    Objects.requireNonNull(other, "other");
    return new Obligations(
        min(leaseLength, other.leaseLength),
        min(offlineAllowance, other.offlineAllowance),
        min(maxRequestsPerMinute, other.maxRequestsPerMinute),
        min(reattestationInterval, other.reattestationInterval));
  }

  private static <T extends Comparable<T>> T min(T a, T b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration positive(Duration d, String what) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Obligations other
        && Objects.equals(leaseLength, other.leaseLength)
        && Objects.equals(offlineAllowance, other.offlineAllowance)
        && Objects.equals(maxRequestsPerMinute, other.maxRequestsPerMinute)
        && Objects.equals(reattestationInterval, other.reattestationInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(leaseLength, offlineAllowance, maxRequestsPerMinute, reattestationInterval);
  }

  /** E.g. {@code leaseLength=24h, offlineAllowance=72h}, or {@code none}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (leaseLength != null) {
      parts.add("leaseLength=" + PolicyDurations.format(leaseLength));
    }
    if (offlineAllowance != null) {
      parts.add("offlineAllowance=" + PolicyDurations.format(offlineAllowance));
    }
    if (maxRequestsPerMinute != null) {
      parts.add("maxRequestsPerMinute=" + maxRequestsPerMinute);
    }
    if (reattestationInterval != null) {
      parts.add("reattestationInterval=" + PolicyDurations.format(reattestationInterval));
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** Builds {@link Obligations}; unset kinds stay absent. */
  public static final class Builder {
    private Duration leaseLength;
    private Duration offlineAllowance;
    private Integer maxRequestsPerMinute;
    private Duration reattestationInterval;

    private Builder() {}

    public Builder leaseLength(Duration value) {
      this.leaseLength = value;
      return this;
    }

    public Builder offlineAllowance(Duration value) {
      this.offlineAllowance = value;
      return this;
    }

    public Builder maxRequestsPerMinute(int value) {
      this.maxRequestsPerMinute = value;
      return this;
    }

    public Builder reattestationInterval(Duration value) {
      this.reattestationInterval = value;
      return this;
    }

    /**
     * Builds the obligations.
     *
     * @throws IllegalArgumentException if a duration is zero or negative, or the request limit is
     *     below 1
     */
    public Obligations build() {
      return new Obligations(
          leaseLength, offlineAllowance, maxRequestsPerMinute, reattestationInterval);
    }
  }
}
