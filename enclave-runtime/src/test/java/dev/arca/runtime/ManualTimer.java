// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The agent's re-attestation timer under a test's hand: it records each delay the agent asks for
 * and runs the task only when the test {@link #fire()}s it, so no test waits on the real clock.
 */
final class ManualTimer implements RuntimeAgent.Timer {
  private final List<Duration> delays = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Runnable> due = new LinkedBlockingQueue<>();

  @Override
  public void schedule(Duration delay, Runnable task) {
    delays.add(delay);
    due.add(task);
  }

  /** Every delay scheduled so far, oldest first. */
  List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** Runs the oldest scheduled task now, on the caller's thread. */
  void fire() {
    Runnable task = due.poll();
    if (task == null) {
      throw new AssertionError("nothing is scheduled");
    }
    task.run();
  }
}
