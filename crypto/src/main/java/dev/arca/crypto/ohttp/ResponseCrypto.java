// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import dev.arca.crypto.Secrets;
import dev.arca.crypto.hpke.Hkdf;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import java.nio.charset.StandardCharsets;

/** Response key derivation of RFC 9458 section 4.4, shared by client and gateway. */
final class ResponseCrypto {
  static final byte[] RESPONSE_LABEL = "message/bhttp response".getBytes(StandardCharsets.US_ASCII);

  private ResponseCrypto() {}

  static int nonceLength(HpkeAead aead) {
    return Math.max(aead.nonceLength(), aead.keyLength());
  }

  /** Returns {aead_key, aead_nonce}; wipes the intermediate PRK. */
  static byte[][] keys(
      HpkeKdf kdf, HpkeAead aead, byte[] secret, byte[] enc, byte[] responseNonce) {
    byte[] salt = new byte[enc.length + responseNonce.length];
    System.arraycopy(enc, 0, salt, 0, enc.length);
    System.arraycopy(responseNonce, 0, salt, enc.length, responseNonce.length);
    byte[] prk = Hkdf.extract(kdf, salt, secret);
    try {
      return new byte[][] {
        Hkdf.expand(kdf, prk, "key".getBytes(StandardCharsets.US_ASCII), aead.keyLength()),
        Hkdf.expand(kdf, prk, "nonce".getBytes(StandardCharsets.US_ASCII), aead.nonceLength())
      };
    } finally {
      Secrets.wipe(prk);
    }
  }
}
