package dev.arca.crypto.hpke;

/**
 * Plain (unlabeled) HKDF-Extract and HKDF-Expand (RFC 5869) of an HPKE KDF, for protocols built on
 * HPKE that derive their own keys, such as Oblivious HTTP responses (RFC 9458 section 4.4).
 */
public final class Hkdf {
  private Hkdf() {}

  /** HKDF-Extract(salt, ikm); an empty salt means Nh zero bytes. */
  public static byte[] extract(HpkeKdf kdf, byte[] salt, byte[] ikm) {
    return LabeledKdf.plain(kdf).extract(salt, ikm);
  }

  /**
   * HKDF-Expand(prk, info, length).
   *
   * @throws IllegalArgumentException if length exceeds 255 * Nh
   */
  public static byte[] expand(HpkeKdf kdf, byte[] prk, byte[] info, int length) {
    return LabeledKdf.plain(kdf).expand(prk, info, length);
  }
}
