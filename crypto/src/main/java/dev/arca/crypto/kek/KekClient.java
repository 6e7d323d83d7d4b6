// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

/**
 * Finds key-encryption keys by URI, in the shape of Tink's {@code KmsClient}: one client per key
 * service (local keyset files, Vault, a cloud KMS, PKCS#11), selected by URI prefix.
 */
public interface KekClient {
  /** Whether this client handles {@code keyUri}. */
  boolean doesSupport(String keyUri);

  /**
   * The KEK named {@code keyUri}.
   *
   * @throws KekException {@code kek.unknown-uri} if unsupported or absent; others if it cannot be
   *     loaded
   */
  KeyEncryptionKey getKek(String keyUri) throws KekException;
}
