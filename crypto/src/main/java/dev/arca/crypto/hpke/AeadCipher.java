package dev.arca.crypto.hpke;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-shot AEAD encryption and decryption with an HPKE AEAD (RFC 9180 section 7.3) under an
 * explicit key and nonce, on the JDK's AES-GCM and ChaCha20-Poly1305. Used by HPKE contexts and by
 * Oblivious HTTP responses (RFC 9458 section 4.4).
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
    Cipher c = init(aead, Cipher.ENCRYPT_MODE, key, nonce);
    try {
      c.updateAAD(aad);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK AEAD failed to encrypt", e);
    }
  }

  /**
   * Open(key, nonce, aad, ct).
   *
   * @throws HpkeException {@code hpke.open-failed} if the ciphertext does not authenticate
   */
  public static byte[] open(HpkeAead aead, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext)
      throws HpkeException {
    if (ciphertext.length < aead.tagLength()) {
      throw new HpkeException(HpkeException.OPEN_FAILED, "ciphertext shorter than its tag");
    }
    Cipher c = init(aead, Cipher.DECRYPT_MODE, key, nonce);
    try {
      c.updateAAD(aad);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new HpkeException(
          HpkeException.OPEN_FAILED,
          "ciphertext did not authenticate (tampered, wrong key, or wrong associated data)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK AEAD failed to decrypt", e);
    }
  }

  private static Cipher init(HpkeAead aead, int mode, byte[] key, byte[] nonce)
      throws HpkeException {
    if (aead == HpkeAead.EXPORT_ONLY) {
      throw new HpkeException(HpkeException.EXPORT_ONLY, "export-only AEAD cannot seal or open");
    }
    if (key.length != aead.keyLength() || nonce.length != aead.nonceLength()) {
      throw new HpkeException(HpkeException.BAD_KEY, "key or nonce length does not fit " + aead);
    }
    try {
      Cipher c;
      if (aead == HpkeAead.CHACHA20_POLY1305) {
        c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
      } else {
        c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      }
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks " + aead, e);
    }
  }
}
