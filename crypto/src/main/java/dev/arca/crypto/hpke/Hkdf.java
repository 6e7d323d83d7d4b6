// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Plain (unlabeled) HKDF-Extract and HKDF-Expand (RFC 5869) of an HPKE KDF, for protocols built on
 * HPKE that derive their own keys, such as Oblivious HTTP responses (RFC 9458 section 4.4). Runs on
 * Bouncy Castle's {@link HKDFBytesGenerator}, the HKDF under its HPKE.
 */
public final class Hkdf {
  private Hkdf() {}

  /** HKDF-Extract(salt, ikm); an empty salt means Nh zero bytes. */
  public static byte[] extract(HpkeKdf kdf, byte[] salt, byte[] ikm) {
    // BC takes a null salt for "Nh zero bytes" (RFC 5869 section 2.2).
    return new HKDFBytesGenerator(digest(kdf)).extractPRK(salt.length == 0 ? null : salt, ikm);
  }

  /**
   * HKDF-Expand(prk, info, length).
   *
   * @throws IllegalArgumentException if length exceeds 255 * Nh
   */
  public static byte[] expand(HpkeKdf kdf, byte[] prk, byte[] info, int length) {
    if (length < 0 || length > 255 * kdf.hashLength()) {
      throw new IllegalArgumentException("HKDF-Expand length out of range: " + length);
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(digest(kdf));
    hkdf.init(HKDFParameters.skipExtractParameters(prk, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  private static Digest digest(HpkeKdf kdf) {
    return switch (kdf) {
      case HKDF_SHA256 -> new SHA256Digest();
    };
  }
}
