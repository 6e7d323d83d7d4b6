// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

/**
 * What {@code open} checks beyond the publisher signature and the AEAD.
 *
 * <p>Every segment is always authenticated by AES-256-GCM under the data key, with the signed
 * manifest's digest as associated data, and the plaintext size always has to equal the manifest's.
 * That proves the bytes were sealed by a holder of this package's data key for this manifest.
 * {@link #SHA256} also recomputes the plaintext SHA-256 and compares it with the signed manifest,
 * which additionally rules out a data-key holder other than the publisher (the key service, or a
 * compromised runtime that received the key) producing a different model under the same manifest.
 * It costs throughput (SHA-256 runs at about 40% of AES-GCM's speed here, see docs/benchmarks.md).
 */
public enum PlaintextCheck {
  /**
   * AEAD + size only: fastest (meets the 0.8-of-raw-AES-GCM target); for a runtime that trusts
   * every holder of the data key (the key service and attested runtimes).
   */
  AEAD_ONLY,
  /** AEAD + size + SHA-256 against the manifest: the default of every {@code open} overload. */
  SHA256
}
