// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * The bridge from Arca's HPKE types to Bouncy Castle's RFC 9180 implementation ({@code
 * org.bouncycastle.crypto.hpke}): registry ids and key conversion.
 *
 * <p>A BC {@link HPKE} object reuses one key agreement and one HKDF instance across calls, so it is
 * not thread-safe: callers take a fresh one per operation and do not share it.
 */
final class BcHpke {
  private BcHpke() {}

  /** A fresh BC HPKE for {@code suite} in {@code mode}. */
  static HPKE of(HpkeSuite suite, HpkeMode mode) {
    return new HPKE(
        (byte) mode.id(),
        (short) suite.kem().id(),
        (short) suite.kdf().id(),
        (short) suite.aead().id());
  }

  /**
   * A fresh BC HPKE for the KEM-only operations (DeriveKeyPair, key (de)serialization), which do
   * not depend on the KDF and AEAD of a suite.
   */
  static HPKE forKem(HpkeKem kem) {
    return new HPKE(HPKE.mode_base, (short) kem.id(), HPKE.kdf_HKDF_SHA256, HPKE.aead_EXPORT_ONLY);
  }

  /** DeserializePublicKey; the length was checked when {@code key} was made. */
  static AsymmetricKeyParameter publicKey(HPKE hpke, HpkePublicKey key) {
    return hpke.deserializePublicKey(key.bytes());
  }

  /**
   * DeserializePrivateKey, with the public key Arca already computed. BC copies the scalar into its
   * own key object, which it cannot wipe; that copy is dropped when the operation ends.
   *
   * @throws HpkeException {@code hpke.bad-key} if {@code key} was destroyed
   */
  static AsymmetricCipherKeyPair keyPair(HPKE hpke, HpkePrivateKey key) throws HpkeException {
    return hpke.deserializePrivateKey(key.scalar(), key.publicKey().bytes());
  }
}
