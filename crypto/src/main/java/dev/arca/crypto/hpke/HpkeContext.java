package dev.arca.crypto.hpke;

import dev.arca.crypto.Secrets;
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
    byte[] ct = AeadCipher.seal(suite.aead(), key, nextNonce(), aad, plaintext);
    seq++;
    return ct;
  }

  /**
   * ContextR.Open(aad, ct).
   *
   * @throws HpkeException {@code hpke.open-failed} if the ciphertext does not authenticate; the
   *     sequence number is not advanced then
   */
  public byte[] open(byte[] aad, byte[] ciphertext) throws HpkeException {
    requireUsable(Role.RECIPIENT);
    byte[] pt = AeadCipher.open(suite.aead(), key, nextNonce(), aad, ciphertext);
    seq++;
    return pt;
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
