// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.update;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * A per-model counter kept outside the state folder, in hardware that only lets it go up (a TPM NV
 * counter): the version floor that restoring an older copy of the state folder cannot lower.
 */
public interface VersionCounter {

  /**
   * The counter of {@code modelId}.
   *
   * @return its value, or empty when no version of the model was counted yet
   * @throws IOException when the hardware cannot be read
   */
  OptionalLong value(String modelId) throws IOException;

  /**
   * Raises the counter of {@code modelId} to at least {@code version}.
   *
   * @throws IOException when the hardware refuses, or the step is too large to count
   */
  void raiseTo(String modelId, long version) throws IOException;
}
