// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import dev.arca.runtime.state.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The runtime's clock for leases: the system clock, but never earlier than the latest time it has
 * already told, which it keeps in the state folder ({@code time-floor}, written at most once a
 * minute) so a restart remembers it too. Winding the system clock back (a spoofed NTP answer, a
 * wrong RTC after a reboot) therefore cannot stretch a lease's {@code expiresAt} or {@code
 * offlineUntil}: time only stands still until the system clock catches up. Someone with root on the
 * device can still edit the file; the TPM's own clock is the stronger anchor for leases sealed to
 * the TPM (not yet built). Thread-safe.
 */
public final class TimeFloorClock extends Clock {
  /** How far the floor may run ahead of the last value written to the state folder. */
  static final Duration PERSIST_EVERY = Duration.ofMinutes(1);

  static final String FILE = "time-floor";

  private final Clock system;
  private final Path file;
  private final Consumer<String> log;
  // Read on every inference request: the floor moves without a lock, only writing takes one.
  private final AtomicReference<Instant> floor;
  private volatile Instant persisted;

  private TimeFloorClock(Clock system, Path file, Instant floor, Consumer<String> log) {
    this.system = system;
    this.file = file;
    this.floor = new AtomicReference<>(floor);
    this.persisted = floor;
    this.log = log;
  }

  /**
   * The clock over {@code system} with the floor kept in {@code stateDir}. An unreadable or
   * malformed floor file is reported to {@code log} and the floor starts at the system time.
   */
  public static TimeFloorClock open(Path stateDir, Clock system, Consumer<String> log) {
    Path file = stateDir.resolve(FILE);
    Instant floor = Instant.MIN;
    if (Files.exists(file)) {
      try {
        floor = Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
      } catch (IOException | DateTimeParseException e) {
        log.accept("clock: the stored time floor is unreadable (" + e.getMessage() + "); ignored");
      }
    }
    Instant now = system.instant();
    if (now.isBefore(floor)) {
      log.accept(
          "clock: the system clock ("
              + now
              + ") is behind the last time this runtime saw ("
              + floor
              + "); leases are judged by the latter until the system clock catches up");
    }
    return new TimeFloorClock(system, file, floor, log);
  }

  @Override
  public Instant instant() {
    Instant now = system.instant();
    Instant f = floor.accumulateAndGet(now, (a, b) -> b.isAfter(a) ? b : a);
    if (due(f)) {
      persist();
    }
    return f;
  }

  /** Whether {@code f} is to be written: nothing written yet, or a minute past what was. */
  private boolean due(Instant f) {
    return persisted.equals(Instant.MIN) || !f.isBefore(persisted.plus(PERSIST_EVERY));
  }

  private synchronized void persist() {
    Instant f = floor.get();
    if (!due(f)) {
      return; // another thread wrote it meanwhile
    }
    try {
      Files.createDirectories(file.getParent());
      StateFiles.replace(file, f.toString().getBytes(StandardCharsets.US_ASCII));
      persisted = f;
    } catch (IOException e) {
      // Still a floor in memory; the next call tries again (after PERSIST_EVERY).
      log.accept("clock: cannot keep the time floor in " + file + ": " + e.getMessage());
      persisted = f;
    }
  }

  @Override
  public ZoneId getZone() {
    return system.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the runtime's lease clock has one zone");
  }
}
