package dev.arca.crypto.hpke;

import dev.arca.crypto.Secrets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * An HPKE encryption context (RFC 9180 section 5.2-5.3): a sender context only seals, a recipient
 * context only opens; both export secrets. Each seal/open advances the sequence number, so messages
 * must be opened in the order they were sealed. Not thread-safe. {@link #destroy()} wipes the key,
 * nonce and exporter secret.
 */
public final class HpkeContext implements Destroyable {
  /** Which side of the exchange this context belongs to. */
  public enum Role {
    SENDER,
    RECIPIENT
  }

  private final HpkeSuite suite;
  private final Role role;
  private final byte[] key;
  private final byte[] baseNonce;
  private final byte[] exporterSecret;
  private long seq;
  private boolean destroyed;

  HpkeContext(HpkeSuite suite, Role role, byte[] key, byte[] baseNonce, byte[] exporterSecret) {
    this.suite = suite;
    this.role = role;
    this.key = key;
    this.baseNonce = baseNonce;
    this.exporterSecret = exporterSecret;
  }

  public HpkeSuite suite() {
    return suite;
  }

  public Role role() {
    return role;
  }

  /**
   * ContextS.Seal(aad, pt).
   *
   * @throws HpkeException {@code hpke.export-only}, {@code hpke.message-limit}, or {@code
   *     hpke.bad-key} if used on a recipient context or after destroy
   */
  public byte[] seal(byte[] aad, byte[] plaintext) throws HpkeException {
    requireUsable(Role.SENDER);
    byte[] nonce = nextNonce();
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
      cipher.updateAAD(aad);
      byte[] ct = cipher.doFinal(plaintext);
      seq++;
      return ct;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK AEAD failed to encrypt", e);
    }
  }

  /**
   * ContextR.Open(aad, ct).
   *
   * @throws HpkeException {@code hpke.open-failed} if the ciphertext does not authenticate; the
   *     sequence number is not advanced then
   */
  public byte[] open(byte[] aad, byte[] ciphertext) throws HpkeException {
    requireUsable(Role.RECIPIENT);
    if (ciphertext.length < suite.aead().tagLength()) {
      throw new HpkeException(
          HpkeException.OPEN_FAILED, "HPKE ciphertext shorter than its authentication tag");
    }
    byte[] nonce = nextNonce();
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce);
      cipher.updateAAD(aad);
      byte[] pt = cipher.doFinal(ciphertext);
      seq++;
      return pt;
    } catch (AEADBadTagException e) {
      throw new HpkeException(
          HpkeException.OPEN_FAILED,
          "HPKE ciphertext did not authenticate (tampered, wrong key, wrong info or out of order)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK AEAD failed to decrypt", e);
    }
  }

  /**
   * Context.Export(exporter_context, L), RFC 9180 section 5.3.
   *
   * @throws HpkeException {@code hpke.bad-key} after destroy or for L > 255*Nh
   */
  public byte[] export(byte[] exporterContext, int length) throws HpkeException {
    if (destroyed) {
      throw new HpkeException(HpkeException.BAD_KEY, "HPKE context was destroyed");
    }
    LabeledKdf kdf = LabeledKdf.forSuite(suite);
    if (length < 0 || length > 255 * kdf.hashLength()) {
      throw new HpkeException(HpkeException.BAD_KEY, "export length out of range: " + length);
    }
    return kdf.labeledExpand(exporterSecret, "sec", exporterContext, length);
  }

  private void requireUsable(Role expected) throws HpkeException {
    if (destroyed) {
      throw new HpkeException(HpkeException.BAD_KEY, "HPKE context was destroyed");
    }
    if (suite.aead() == HpkeAead.EXPORT_ONLY) {
      throw new HpkeException(
          HpkeException.EXPORT_ONLY, "this HPKE suite is export-only: it cannot seal or open");
    }
    if (role != expected) {
      throw new HpkeException(
          HpkeException.BAD_KEY, "a " + role + " context cannot be used as " + expected);
    }
  }

  private byte[] nextNonce() throws HpkeException {
    int nn = suite.aead().nonceLength();
    if (seq < 0) {
      throw new HpkeException(HpkeException.MESSAGE_LIMIT, "HPKE sequence number exhausted");
    }
    byte[] nonce = baseNonce.clone();
    long s = seq;
    for (int i = nn - 1; i >= nn - 8; i--) {
      nonce[i] ^= (byte) s;
      s >>>= 8;
    }
    return nonce;
  }

  private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
    switch (suite.aead()) {
      case AES_128_GCM:
      case AES_256_GCM:
        {
          Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
          c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
          return c;
        }
      case CHACHA20_POLY1305:
        {
          Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
          c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
          return c;
        }
      default:
        throw new IllegalStateException("no cipher for " + suite.aead());
    }
  }

  @Override
  public void destroy() {
    destroyed = true;
    Secrets.wipe(key);
    Secrets.wipe(baseNonce);
    Secrets.wipe(exporterSecret);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "HpkeContext[" + suite + ", " + role + ", seq=" + seq + ", secrets redacted]";
  }
}
