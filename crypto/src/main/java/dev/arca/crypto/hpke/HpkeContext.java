// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKEContext;

/**
 * An HPKE encryption context (RFC 9180 section 5.2-5.3) over Bouncy Castle's {@code HPKEContext}: a
 * sender context only seals, a recipient context only opens; both export secrets. Each successful
 * seal/open advances the sequence number, so messages must be opened in the order they were sealed.
 * Not thread-safe.
 *
 * <p>{@link #destroy()} makes the context refuse further use and drops Arca's reference to BC's
 * context. BC keeps the AEAD key, base nonce and exporter secret in private fields it offers no way
 * to wipe, so they stay in memory until the garbage collector reclaims them.
 */
public final class HpkeContext implements Destroyable {
  /** Which side of the exchange this context belongs to. */
  public enum Role {
    SENDER,
    RECIPIENT
  }

  private final HpkeSuite suite;
  private final Role role;
  private HPKEContext bc; // null once destroyed

  HpkeContext(HpkeSuite suite, Role role, HPKEContext bc) {
    this.suite = suite;
    this.role = role;
    this.bc = bc;
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
    HPKEContext c = usable(Role.SENDER);
    try {
      return c.seal(aad, plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD failed to encrypt", e); // encryption has no tag to fail
    } catch (IllegalStateException e) {
      throw messageLimit(e);
    }
  }

  /**
   * ContextR.Open(aad, ct).
   *
   * @throws HpkeException {@code hpke.open-failed} if the ciphertext does not authenticate; the
   *     sequence number is not advanced then
   */
  public byte[] open(byte[] aad, byte[] ciphertext) throws HpkeException {
    HPKEContext c = usable(Role.RECIPIENT);
    try {
      return c.open(aad, ciphertext);
    } catch (InvalidCipherTextException e) {
      throw HpkeException.openFailed(e);
    } catch (IllegalStateException e) {
      throw messageLimit(e);
    }
  }

  /**
   * Context.Export(exporter_context, L), RFC 9180 section 5.3.
   *
   * @throws HpkeException {@code hpke.bad-key} after destroy or for L > 255*Nh
   */
  public byte[] export(byte[] exporterContext, int length) throws HpkeException {
    HPKEContext c = live();
    if (length < 0 || length > 255 * suite.kdf().hashLength()) {
      throw new HpkeException(HpkeException.BAD_KEY, "export length out of range: " + length);
    }
    return c.export(exporterContext, length);
  }

  private HPKEContext live() throws HpkeException {
    HPKEContext c = bc;
    if (c == null) {
      throw new HpkeException(HpkeException.BAD_KEY, "HPKE context was destroyed");
    }
    return c;
  }

  private HPKEContext usable(Role expected) throws HpkeException {
    HPKEContext c = live();
    if (suite.aead() == HpkeAead.EXPORT_ONLY) {
      throw new HpkeException(
          HpkeException.EXPORT_ONLY, "this HPKE suite is export-only: it cannot seal or open");
    }
    if (role != expected) {
      throw new HpkeException(
          HpkeException.BAD_KEY, "a " + role + " context cannot be used as " + expected);
    }
    return c;
  }

  /**
   * BC's AEAD refuses to go past sequence number 2^64 - 1 with an IllegalStateException (stricter
   * than RFC 9180's 2^96 - 1 for 12-byte nonces); with export-only and the role checked first, that
   * is the only one it throws.
   */
  private static HpkeException messageLimit(IllegalStateException e) {
    return new HpkeException(HpkeException.MESSAGE_LIMIT, "HPKE sequence number exhausted", e);
  }

  @Override
  public void destroy() {
    bc = null;
  }

  @Override
  public boolean isDestroyed() {
    return bc == null;
  }

  @Override
  public String toString() {
    return "HpkeContext[" + suite + ", " + role + ", secrets redacted]";
  }
}
