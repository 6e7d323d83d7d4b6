// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;

/**
 * A key-encryption key (KEK): an AEAD held by a key service (a local encrypted keyset by default;
 * HashiCorp Vault, a cloud KMS or a PKCS#11 HSM in production) that wraps data keys. Shaped like
 * Tink's {@link Aead}; {@link #asTinkAead()} adapts it so Tink can encrypt keysets under it.
 *
 * <p>Implementations must be thread-safe and must never expose key material.
 */
public interface KeyEncryptionKey {
  /** The URI naming this KEK, as accepted by its {@link KekClient}. */
  String keyUri();

  /**
   * Encrypts {@code plaintext} bound to {@code associatedData}.
   *
   * @throws KekException if the key service fails
   */
  byte[] encrypt(byte[] plaintext, byte[] associatedData) throws KekException;

  /**
   * Decrypts a value from {@link #encrypt} with the same associated data.
   *
   * @throws KekException {@code kek.decrypt-failed} for a wrong key, wrong associated data or a
   *     tampered ciphertext
   */
  byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws KekException;

  /** This KEK as a Tink {@link Aead}. */
  default Aead asTinkAead() {
    KeyEncryptionKey self = this;
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData)
          throws GeneralSecurityException {
        return self.encrypt(plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
          throws GeneralSecurityException {
        return self.decrypt(ciphertext, associatedData);
      }
    };
  }
}
