package dev.arca.attestation.keyrelease;

import java.security.GeneralSecurityException;

/**
 * The service's key-encryption key (KEK): everything secret the service stores (model data keys,
 * token signing keys, the challenge MAC key) is stored only as {@link #wrap} output. The KEK itself
 * never enters the database, a log or an error message.
 *
 * <p>Implementations: {@link LocalKeyEncryptionKey} (AES-256-GCM, key file in the data directory);
 * a KMS, Vault or HSM backend implements the same interface.
 */
public interface KeyEncryptionKey {

  /**
   * Encrypts {@code plaintext}, authenticating {@code associatedData} (what the secret is for, so a
   * wrapped secret cannot be swapped for another).
   */
  byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

  /**
   * Decrypts a {@link #wrap} output.
   *
   * @throws GeneralSecurityException when it was not wrapped by this KEK for {@code
   *     associatedData}, or was modified
   */
  byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException;
}
