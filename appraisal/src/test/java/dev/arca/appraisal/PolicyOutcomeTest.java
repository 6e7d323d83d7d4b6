// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two permits for one request (e.g. two data classes) combine into the most restrictive grant: the
 * shorter lease, offline allowance and re-attestation interval, the lower request rate, every
 * deciding rule once; and a denial anywhere denies.
 */
class PolicyOutcomeTest {
  static PolicyOutcome permit(
      String rule, Duration lease, Duration offline, Integer rate, Duration reattest) {
    return new PolicyOutcome(
        true,
        List.of(rule),
        "permitted",
        Optional.ofNullable(lease),
        Optional.ofNullable(offline),
        Optional.ofNullable(rate),
        Optional.ofNullable(reattest));
  }

  @Test
  void eachObligationTakesTheStricterValue() {
    PolicyOutcome a =
        permit("a", Duration.ofHours(1), Duration.ofHours(9), 100, Duration.ofMinutes(5));
    PolicyOutcome b =
        permit("b", Duration.ofHours(2), Duration.ofHours(3), 10, Duration.ofMinutes(50));
    for (PolicyOutcome m : List.of(a.mostRestrictive(b), b.mostRestrictive(a))) {
      assertThat(m.permitted()).isTrue();
      assertThat(m.lease()).contains(Duration.ofHours(1));
      assertThat(m.offlineAllowance()).contains(Duration.ofHours(3));
      assertThat(m.maxRequestsPerMinute()).contains(10);
      assertThat(m.reattestationInterval()).contains(Duration.ofMinutes(5));
    }
    assertThat(a.mostRestrictive(b).decidedBy()).containsExactly("a", "b");
    assertThat(a.mostRestrictive(b).reason()).isEqualTo("permitted");
  }

  @Test
  void anObligationOnlyOneSideSetsIsKept() {
    PolicyOutcome some = permit("a", Duration.ofHours(1), null, 7, null);
    PolicyOutcome other = permit("b", null, Duration.ofHours(3), null, Duration.ofMinutes(5));
    for (PolicyOutcome m : List.of(some.mostRestrictive(other), other.mostRestrictive(some))) {
      assertThat(m.lease()).contains(Duration.ofHours(1));
      assertThat(m.offlineAllowance()).contains(Duration.ofHours(3));
      assertThat(m.maxRequestsPerMinute()).contains(7);
      assertThat(m.reattestationInterval()).contains(Duration.ofMinutes(5));
    }
    PolicyOutcome none = permit("c", null, null, null, null);
    assertThat(none.mostRestrictive(none).lease()).isEmpty();
  }

  @Test
  void aDenialOnEitherSideDeniesAndRulesAreListedOnce() {
    PolicyOutcome permit = permit("a", null, null, null, null);
    PolicyOutcome deny =
        new PolicyOutcome(
            false,
            List.of("a", "f"),
            "forbidden",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertThat(permit.mostRestrictive(deny).permitted()).isFalse();
    assertThat(deny.mostRestrictive(permit).permitted()).isFalse();
    assertThat(permit.mostRestrictive(deny).decidedBy()).containsExactly("a", "f");
  }
}
