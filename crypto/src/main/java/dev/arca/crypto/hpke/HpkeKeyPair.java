// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.Secrets;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.hpke.HPKE;

/** Key pair generation and derivation for an HPKE KEM (RFC 9180 section 7.1.3). */
public final class HpkeKeyPair {
  private HpkeKeyPair() {}

  /**
   * GenerateKeyPair: a fresh X25519 key from {@code random} (any Nsk random bytes are an X25519
   * private key, RFC 7748 section 5; the caller's {@code random} keeps tests reproducible).
   *
   * @throws HpkeException never for X25519 (kept for other KEMs)
   */
  public static HpkePrivateKey generate(HpkeKem kem, SecureRandom random) throws HpkeException {
    Objects.requireNonNull(random, "random");
    byte[] sk = new byte[kem.privateKeyLength()];
    random.nextBytes(sk);
    try {
      return HpkePrivateKey.of(kem, sk, InsecureSecretKeyAccess.get());
    } finally {
      Secrets.wipe(sk);
    }
  }

  /**
   * DeriveKeyPair(ikm), RFC 9180 section 7.1.3 (Bouncy Castle's): deterministic, for keys derived
   * from a seed.
   *
   * @throws HpkeException {@code hpke.bad-key} if ikm is shorter than Nsk
   */
  public static HpkePrivateKey derive(HpkeKem kem, byte[] ikm) throws HpkeException {
    if (ikm == null || ikm.length < kem.privateKeyLength()) {
      throw new HpkeException(
          HpkeException.BAD_KEY,
          "DeriveKeyPair needs at least " + kem.privateKeyLength() + " bytes of ikm");
    }
    HPKE bc = BcHpke.forKem(kem);
    byte[] sk = bc.serializePrivateKey(bc.deriveKeyPair(ikm).getPrivate());
    try {
      return HpkePrivateKey.of(kem, sk, InsecureSecretKeyAccess.get());
    } finally {
      Secrets.wipe(sk);
    }
  }
}
