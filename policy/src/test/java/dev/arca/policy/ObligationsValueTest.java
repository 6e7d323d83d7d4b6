// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Obligations as a value: absent members read as empty, equal values hash alike, and printing. */
class ObligationsValueTest {
  @Test
  void absentMembersAreEmptyAndAnySetMemberMakesItNonEmpty() {
    assertThat(Obligations.NONE.maxRequestsPerMinute()).isEmpty();
    assertThat(Obligations.NONE.leaseLength()).isEmpty();
    Obligations[] one = {
      Obligations.builder().leaseLength(Duration.ofHours(1)).build(),
      Obligations.builder().offlineAllowance(Duration.ofHours(1)).build(),
      Obligations.builder().maxRequestsPerMinute(5).build(),
      Obligations.builder().reattestationInterval(Duration.ofHours(1)).build(),
    };
    for (Obligations o : one) {
      assertThat(o.isEmpty()).as(o.toString()).isFalse();
    }
  }

  @Test
  void everyBuilderStepChains() {
    Obligations o =
        Obligations.builder()
            .reattestationInterval(Duration.ofMinutes(90))
            .maxRequestsPerMinute(5)
            .offlineAllowance(Duration.ofDays(7))
            .leaseLength(Duration.ofSeconds(45))
            .build();
    assertThat(o.toString())
        .isEqualTo(
            "leaseLength=45s, offlineAllowance=7d, maxRequestsPerMinute=5,"
                + " reattestationInterval=90m");
    Obligations same =
        Obligations.builder()
            .leaseLength(Duration.ofSeconds(45))
            .offlineAllowance(Duration.ofDays(7))
            .maxRequestsPerMinute(5)
            .reattestationInterval(Duration.ofMinutes(90))
            .build();
    assertThat(o).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(o.hashCode()).isNotEqualTo(Obligations.NONE.hashCode());
    assertThat(Obligations.NONE.toString()).isEqualTo("none");
  }

  @Test
  void durationsPrintInTheLargestExactUnit() {
    assertThat(PolicyDurations.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(PolicyDurations.format(Duration.ofDays(6))).isEqualTo("144h");
    assertThat(PolicyDurations.format(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
  }
}
