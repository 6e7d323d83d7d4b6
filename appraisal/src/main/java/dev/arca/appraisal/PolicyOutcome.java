// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy's answer for one request.
 *
 * @param decidedBy the rules that decided (the permitting rules, or the forbidding ones, or empty
 *     for deny-by-default)
 * @param reason short reason, e.g. {@code permitted}, {@code forbidden}, {@code no-matching-permit}
 * @param lease how long the grant lasts, when a rule says
 * @param offlineAllowance how long the runtime may serve while offline
 * @param maxRequestsPerMinute how many inference requests a minute the runtime may serve
 * @param reattestationInterval how long the runtime may go without attesting again
 */
public record PolicyOutcome(
    boolean permitted,
    List<String> decidedBy,
    String reason,
    Optional<Duration> lease,
    Optional<Duration> offlineAllowance,
    Optional<Integer> maxRequestsPerMinute,
    Optional<Duration> reattestationInterval) {

  /**
   * Both outcomes' obligations at once (both must be permits): the shorter lease and offline
   * allowance, the lower request rate, the shorter re-attestation interval, the union of deciding
   * rules.
   */
  public PolicyOutcome mostRestrictive(PolicyOutcome other) {
    List<String> rules = new ArrayList<>(decidedBy);
    other.decidedBy.stream().filter(r -> !rules.contains(r)).forEach(rules::add);
    return new PolicyOutcome(
        permitted && other.permitted,
        rules,
        reason,
        min(lease, other.lease),
        min(offlineAllowance, other.offlineAllowance),
        min(maxRequestsPerMinute, other.maxRequestsPerMinute),
        min(reattestationInterval, other.reattestationInterval));
  }

  private static <T extends Comparable<T>> Optional<T> min(Optional<T> a, Optional<T> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().compareTo(b.get()) <= 0 ? a : b;
  }
}
