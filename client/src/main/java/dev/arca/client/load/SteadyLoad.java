// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application sending one request after another on its own thread, a fixed pause apart, and
 * counting what came back: answers by the model version that gave them, and failures. What the demo
 * and the tests run while a model is updated or revoked, to show that no request fails during an
 * update and when refusals begin after a revocation; the update benchmark reads each request's
 * latency from {@link #samples()}.
 */
public final class SteadyLoad implements AutoCloseable {

  /** One request: the version of the model that answered it, or an exception. */
  public interface Request {
    long send() throws Exception;
  }

  /**
   * One request: when it started ({@link System#nanoTime()}), how long it took, and the version
   * that answered it ({@link #FAILED} for a failure).
   */
  public record Sample(long startNanos, long nanos, long version) {}

  /** The version of a failed request's {@link Sample}. */
  public static final long FAILED = -1;

  private final Map<Long, AtomicInteger> answered = new ConcurrentHashMap<>();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final List<Exception> failures = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private SteadyLoad(Request request, Duration pause) {
    Objects.requireNonNull(request, "request");
    long pauseMillis = pause.toMillis();
    this.thread =
        new Thread(
            () -> {
              while (running) {
                long start = System.nanoTime();
                try {
                  long v = request.send();
                  samples.add(new Sample(start, System.nanoTime() - start, v));
                  answered.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
                } catch (Exception e) {
                  samples.add(new Sample(start, System.nanoTime() - start, FAILED));
                  failures.add(e);
                }
                try {
                  Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "arca-steady-load");
    thread.setDaemon(true);
  }

  /** Starts sending {@code request}, {@code pause} after each answer or failure. */
  public static SteadyLoad start(Request request, Duration pause) {
    SteadyLoad load = new SteadyLoad(request, pause);
    load.thread.start();
    return load;
  }

  /** How many requests version {@code version} answered so far. */
  public int answered(long version) {
    AtomicInteger n = answered.get(version);
    return n == null ? 0 : n.get();
  }

  /** How many requests were answered so far, by any version. */
  public int answered() {
    return answered.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** The failures so far, in order. */
  public List<Exception> failures() {
    return List.copyOf(failures);
  }

  /** Every request so far, in the order they ended. */
  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Stops after the request in flight (waiting at most a minute for it). */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
