// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeSuite;
import dev.arca.crypto.seal.DataKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * A data key wrapped with HPKE to one runtime key. Public data (safe to log and send). Encoding
 * ({@link #encode}): kem_id, kdf_id, aead_id (2 bytes each, big-endian), enc (Nenc bytes), then the
 * ciphertext (the 32-byte key plus a 16-byte tag).
 */
public final class WrappedKey {
  private final HpkeSuite suite;
  private final byte[] enc;
  private final byte[] ciphertext;

  WrappedKey(HpkeSuite suite, byte[] enc, byte[] ciphertext) {
    this.suite = suite;
    this.enc = enc.clone();
    this.ciphertext = ciphertext.clone();
  }

  public HpkeSuite suite() {
    return suite;
  }

  /** The HPKE encapsulated key (a copy). */
  public byte[] enc() {
    return enc.clone();
  }

  /** The HPKE ciphertext (a copy). */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The binary form described above. */
  public byte[] encode() {
    byte[] out = new byte[6 + enc.length + ciphertext.length];
    put16(out, 0, suite.kem().id());
    put16(out, 2, suite.kdf().id());
    put16(out, 4, suite.aead().id());
    System.arraycopy(enc, 0, out, 6, enc.length);
    System.arraycopy(ciphertext, 0, out, 6 + enc.length, ciphertext.length);
    return out;
  }

  /**
   * Parses {@link #encode} output, strictly: a suite with an AEAD, then exactly enc and the
   * ciphertext of one {@value DataKey#LENGTH}-byte data key.
   *
   * @throws HpkeException {@code hpke.unsupported-suite} (unknown ids, or an export-only suite,
   *     which cannot carry a key) or {@code hpke.bad-encapsulation} (too short or too long)
   */
  public static WrappedKey decode(byte[] encoded) throws HpkeException {
    if (encoded == null || encoded.length < 6) {
      throw new HpkeException(HpkeException.BAD_ENCAPSULATION, "wrapped key is too short");
    }
    HpkeSuite suite = HpkeSuite.fromIds(get16(encoded, 0), get16(encoded, 2), get16(encoded, 4));
    if (suite.aead() == HpkeAead.EXPORT_ONLY) {
      throw new HpkeException(
          HpkeException.UNSUPPORTED_SUITE, "an export-only HPKE suite cannot wrap a key");
    }
    int nEnc = suite.kem().encLength();
    int length = 6 + nEnc + DataKey.LENGTH + suite.aead().tagLength();
    if (encoded.length != length) {
      throw new HpkeException(
          HpkeException.BAD_ENCAPSULATION,
          "wrapped key has " + encoded.length + " bytes; this suite's has " + length);
    }
    return new WrappedKey(
        suite,
        Arrays.copyOfRange(encoded, 6, 6 + nEnc),
        Arrays.copyOfRange(encoded, 6 + nEnc, encoded.length));
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  private static int get16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  @Override
  public String toString() {
    return "WrappedKey["
        + suite
        + ", "
        + Base64.getUrlEncoder().withoutPadding().encodeToString(encode())
        + "]";
  }
}
