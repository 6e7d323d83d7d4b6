// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeFloorClockTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A system clock the test sets, forwards or back. */
  static final class SetClock extends Clock {
    Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir Path state;
  private final List<String> log = new ArrayList<>();

  @Test
  void aSystemClockWoundBackDoesNotTurnTimeBack() {
    SetClock system = new SetClock();
    TimeFloorClock clock = TimeFloorClock.open(state, system, log::add);
    assertThat(clock.instant()).isEqualTo(T0);
    system.now = T0.plus(Duration.ofHours(2));
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(2)));
    system.now = T0; // two hours back: a lease that ended stays ended
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(2)));
    system.now = T0.plus(Duration.ofHours(3));
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(3)));
  }

  @Test
  void theFloorSurvivesARestart() throws Exception {
    SetClock system = new SetClock();
    system.now = T0.plus(Duration.ofDays(3));
    TimeFloorClock.open(state, system, log::add).instant();
    assertThat(Files.readString(state.resolve(TimeFloorClock.FILE)))
        .isEqualTo(T0.plus(Duration.ofDays(3)).toString());

    // Rebooted with a wrong real-time clock, three days behind.
    system.now = T0;
    TimeFloorClock restarted = TimeFloorClock.open(state, system, log::add);
    assertThat(restarted.instant()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(log).anyMatch(l -> l.startsWith("clock: the system clock") && l.contains("behind"));
  }

  @Test
  void theFloorIsWrittenAtMostOnceAMinute() throws Exception {
    SetClock system = new SetClock();
    TimeFloorClock clock = TimeFloorClock.open(state, system, log::add);
    clock.instant();
    system.now = T0.plusSeconds(30);
    clock.instant();
    assertThat(Files.readString(state.resolve(TimeFloorClock.FILE))).isEqualTo(T0.toString());
    system.now = T0.plusSeconds(61);
    clock.instant();
    assertThat(Files.readString(state.resolve(TimeFloorClock.FILE)))
        .isEqualTo(T0.plusSeconds(61).toString());
  }

  @Test
  void aMalformedFloorFileIsNamedAndIgnored() throws Exception {
    Files.writeString(state.resolve(TimeFloorClock.FILE), "yesterday");
    TimeFloorClock clock = TimeFloorClock.open(state, new SetClock(), log::add);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(log).anyMatch(l -> l.startsWith("clock: the stored time floor is unreadable"));
  }
}
