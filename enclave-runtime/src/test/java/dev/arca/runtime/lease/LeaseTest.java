// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Lease lease =
      new Lease("m", 1, Set.of("synthetic"), T0.plusSeconds(3600), T0.plusSeconds(7200));

  @Test
  void servesGrantedClassesUntilTheEnd() {
    assertThatCode(() -> lease.check("synthetic", T0, true)).doesNotThrowAnyException();
    assertThatCode(() -> lease.check("synthetic", T0.plusSeconds(5000), false))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAnotherDataClass() {
    assertThatThrownBy(() -> lease.check("phi", T0, true))
        .isInstanceOf(LeaseException.class)
        .extracting(e -> ((LeaseException) e).id())
        .isEqualTo("lease.data-class-not-granted");
  }

  @Test
  void refusesAfterTheLeaseOnlineAndAfterTheOfflineAllowance() {
    assertThatThrownBy(() -> lease.check("synthetic", T0.plusSeconds(3600), true))
        .extracting(e -> ((LeaseException) e).id())
        .isEqualTo("lease.expired");
    assertThatThrownBy(() -> lease.check("synthetic", T0.plusSeconds(7200), false))
        .extracting(e -> ((LeaseException) e).id())
        .isEqualTo("lease.expired");
  }
}
