// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime;

import dev.arca.runtime.service.Backoff;
import dev.arca.runtime.service.ServiceClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Listens, by long poll, for what the service says this device must act on ({@code GET
 * /v1/devices/{id}/events}: a new or revoked version of its models, a revoked publisher key, a new
 * policy, its own revocation) and answers each batch by attesting again, so updates and revocations
 * reach an online runtime within seconds, not at its next scheduled attestation. The device opens
 * every connection; it needs no inbound port. Authorised by the runtime's current EAR token; while
 * it has none (not attested yet, refused) or the service cannot be reached, it waits with jittered
 * backoff. The position in the log survives outages, so what happened meanwhile arrives on
 * reconnection.
 */
final class EventWatcher implements AutoCloseable {
  /** How long one poll waits at the service (its maximum). */
  static final int WAIT_SECONDS = 25;

  private final ServiceClient service;
  private final String deviceId;
  private final Supplier<String> token;
  private final LongSupplier attestedAt;
  private final List<String> models;
  private final Runnable onEvents;
  private final Consumer<String> log;
  private final Backoff backoff = Backoff.standard(new SplittableRandom());
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param token the runtime's current EAR token, or null while it has none
   * @param attestedAt the audit log index of the runtime's last successful attestation: events past
   *     it are news (what came before, that attestation already decided on)
   * @param models the model ids the runtime serves or waits for
   * @param onEvents what to do when events arrive (attest again)
   */
  EventWatcher(
      ServiceClient service,
      String deviceId,
      Supplier<String> token,
      LongSupplier attestedAt,
      List<String> models,
      Runnable onEvents,
      Consumer<String> log) {
    this.service = service;
    this.deviceId = deviceId;
    this.token = token;
    this.attestedAt = attestedAt;
    this.models = List.copyOf(models);
    this.onEvents = onEvents;
    this.log = log;
    this.thread = new Thread(this::run, "arca-events");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Optional<Long> next = Optional.empty();
    boolean failing = false;
    while (!closed && !Thread.currentThread().isInterrupted()) {
      String t = token.get();
      try {
        if (t == null) {
          pause(backoff.failed()); // nothing to authorise a poll with yet
          continue;
        }
        if (next.isEmpty()) {
          next = Optional.of(attestedAt.getAsLong());
        }
        ServiceClient.Events answer = service.events(deviceId, t, next, WAIT_SECONDS, models);
        backoff.succeeded();
        if (failing) {
          log.accept("events: listening again");
          failing = false;
        }
        if (!answer.events().isEmpty()) {
          log.accept("events: " + String.join(", ", answer.events()) + "; attesting again");
          onEvents.run();
        }
        next = Optional.of(answer.next());
      } catch (IOException e) {
        if (!failing) {
          // Once per outage: an expired token (401) is renewed by the next attestation.
          log.accept("events: " + e.getMessage() + "; retrying with backoff");
          failing = true;
        }
        pause(backoff.failed());
      }
    }
  }

  /** Sleeps; an interrupt (close) ends the sleep and, through the flag, the loop. */
  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
