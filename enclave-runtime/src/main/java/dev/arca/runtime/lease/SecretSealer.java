// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import java.io.IOException;

/**
 * Seals a small secret to this device's measured state, so that only the same runtime on the same
 * boot chain of the same device can unseal it (a TPM: a sealed object under a PCR policy).
 */
public interface SecretSealer {

  /**
   * Seals {@code secret} (at most 128 bytes) to the current measured state.
   *
   * @return an opaque blob, safe to store: useless without this device in this state
   * @throws IOException when the hardware refuses or cannot be reached
   */
  byte[] seal(byte[] secret) throws IOException;

  /**
   * Unseals what {@link #seal} returned.
   *
   * @return the secret; the caller wipes it
   * @throws IOException when the blob is not this device's, or the measured state changed since
   *     (another operating system, a modified runtime)
   */
  byte[] unseal(byte[] sealed) throws IOException;
}
