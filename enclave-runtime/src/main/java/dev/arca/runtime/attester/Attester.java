// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import java.io.IOException;

/**
 * Produces evidence on the device: the Attester role of RFC 9334. The runtime asks it once per
 * attestation for evidence that binds {@code reportData} (SHA-256 of nonce, runtime key and
 * measurement-log digest).
 */
public interface Attester {

  /** The evidence format name the service verifies it with (e.g. {@code tpm2}, {@code dev}). */
  String format();

  /** The identity the device was enrolled with (the service's device id). */
  String deviceId();

  /**
   * Produces evidence binding {@code reportData}.
   *
   * @throws IOException when the hardware (or tool) cannot produce it
   */
  byte[] evidence(byte[] reportData) throws IOException;

  /**
   * Extends a measurement into the platform's measurement registers, where it has them (a TPM PCR);
   * a no-op for attesters without registers.
   */
  default void extend(byte[] sha256) throws IOException {}
}
