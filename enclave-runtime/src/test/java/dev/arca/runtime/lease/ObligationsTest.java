// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObligationsTest {
  @Test
  void readsTheObligationsTheRuntimeEnforcesAndNamesTheOthers() {
    Obligations o =
        Obligations.of(
            Map.of(
                "leaseSeconds", 3600L,
                "maxRequestsPerMinute", 600L,
                "reattestationSeconds", 900L,
                "geofence", 1L));
    assertThat(o.maxRequestsPerMinute()).hasValue(600);
    assertThat(o.reattestationSeconds()).hasValue(900);
    assertThat(o.unknown()).containsExactly("geofence");
    assertThat(Obligations.NONE.maxRequestsPerMinute()).isEmpty();
    assertThat(Obligations.NONE.reattestationSeconds()).isEmpty();
  }

  @Test
  void refusesNonPositiveOrOversizedValues() {
    assertThatThrownBy(() -> Obligations.of(Map.of("maxRequestsPerMinute", 0L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRequestsPerMinute");
    assertThatThrownBy(() -> Obligations.of(Map.of("reattestationSeconds", -5L)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Obligations.of(Map.of("maxRequestsPerMinute", 1L << 40)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
