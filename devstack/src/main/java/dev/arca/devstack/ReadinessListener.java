// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.time.Duration;

/**
 * Told about each poll while a child process is not ready yet, so a caller can show progress (see
 * {@link Narrator.Step#waiting(String)}). Called on the waiting thread; must return quickly.
 */
@FunctionalInterface
public interface ReadinessListener {

  /** Ignores every poll. */
  ReadinessListener NONE = elapsed -> {};

  /**
   * Called while the wait goes on.
   *
   * @param elapsed time since the wait began
   */
  void waiting(Duration elapsed);
}
