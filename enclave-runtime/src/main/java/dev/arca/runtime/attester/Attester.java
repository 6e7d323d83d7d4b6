// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import dev.arca.runtime.lease.SecretSealer;
import dev.arca.runtime.update.VersionCounter;
import java.io.IOException;
import java.util.Optional;

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

  /** Extends measurements in order, as {@link #extend} one by one (an attester may batch them). */
  default void extendAll(java.util.List<byte[]> sha256s) throws IOException {
    for (byte[] m : sha256s) {
      extend(m);
    }
  }

  /**
   * Seals secrets to the device's measured state, where the platform can (a TPM): what lets a lease
   * survive a reboot during an outage. Empty where it cannot (the {@code dev} attester has no
   * hardware to bind a secret to, so its leases end with the process).
   */
  default Optional<SecretSealer> sealer() {
    return Optional.empty();
  }

  /**
   * Version floors kept in hardware that only counts up (TPM NV counters), where the platform has
   * it; empty where only the state folder's file keeps them.
   */
  default Optional<VersionCounter> versionCounter() {
    return Optional.empty();
  }
}
