// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.AEAD;

/**
 * One-shot AEAD encryption and decryption with an HPKE AEAD (RFC 9180 section 7.3) under an
 * explicit key and nonce, for protocols built on HPKE such as Oblivious HTTP responses (RFC 9458
 * section 4.4). Runs on Bouncy Castle's HPKE {@link AEAD}: its first operation uses sequence number
 * 0, so its nonce is the given nonce unchanged. BC keeps a reference to the caller's key array, so
 * the caller's wipe reaches it; its cipher engines keep their own key schedule, as the JDK's did.
 */
public final class AeadCipher {
  private AeadCipher() {}

  /**
   * Seal(key, nonce, aad, pt).
   *
   * @throws HpkeException {@code hpke.export-only} for the export-only AEAD, {@code hpke.bad-key}
   *     for a wrong key or nonce length
   */
  public static byte[] seal(HpkeAead aead, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
      throws HpkeException {
    try {
      return cipher(aead, key, nonce).seal(aad, plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD failed to encrypt", e); // encryption has no tag to fail
    }
  }

  /**
   * Open(key, nonce, aad, ct).
   *
   * @throws HpkeException {@code hpke.open-failed} if the ciphertext does not authenticate
   */
  public static byte[] open(HpkeAead aead, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext)
      throws HpkeException {
    AEAD c = cipher(aead, key, nonce);
    if (ciphertext.length < aead.tagLength()) {
      throw new HpkeException(HpkeException.OPEN_FAILED, "ciphertext shorter than its tag");
    }
    try {
      return c.open(aad, ciphertext);
    } catch (InvalidCipherTextException e) {
      throw HpkeException.openFailed(e);
    }
  }

  private static AEAD cipher(HpkeAead aead, byte[] key, byte[] nonce) throws HpkeException {
    if (aead == HpkeAead.EXPORT_ONLY) {
      throw new HpkeException(HpkeException.EXPORT_ONLY, "export-only AEAD cannot seal or open");
    }
    // BC checks neither length: a short nonce would be used as given.
    if (key.length != aead.keyLength() || nonce.length != aead.nonceLength()) {
      throw new HpkeException(HpkeException.BAD_KEY, "key or nonce length does not fit " + aead);
    }
    return new AEAD((short) aead.id(), key, nonce);
  }
}
