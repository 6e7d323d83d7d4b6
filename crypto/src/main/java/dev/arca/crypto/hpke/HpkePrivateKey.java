// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import com.google.crypto.tink.SecretKeyAccess;
import dev.arca.crypto.Secrets;
import java.util.Objects;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;

/**
 * An HPKE private key (X25519 scalar) with its public key. Its bytes are readable only with a Tink
 * {@link SecretKeyAccess} token; {@link #toString()} never prints them. {@link #destroy()} wipes
 * the scalar; a destroyed key refuses further use with {@code hpke.bad-key}.
 */
public final class HpkePrivateKey implements Destroyable {
  private final HpkeKem kem;
  private final byte[] scalar;
  private final HpkePublicKey publicKey;
  private volatile boolean destroyed;

  private HpkePrivateKey(HpkeKem kem, byte[] scalar, HpkePublicKey publicKey) {
    this.kem = kem;
    this.scalar = scalar;
    this.publicKey = publicKey;
  }

  /**
   * Imports a serialized private key (DeserializePrivateKey, RFC 9180 section 7.1.2) and computes
   * its public key. The key is kept in its canonical serialization: RFC 9180 clamps X25519 keys, so
   * {@link #bytes} may differ from {@code serialized} in the bits X25519 ignores.
   *
   * @throws HpkeException {@code hpke.bad-key} for a wrong length
   */
  public static HpkePrivateKey of(HpkeKem kem, byte[] serialized, SecretKeyAccess access)
      throws HpkeException {
    Objects.requireNonNull(access, "access");
    if (serialized == null || serialized.length != kem.privateKeyLength()) {
      throw new HpkeException(
          HpkeException.BAD_KEY,
          "private key for " + kem + " must be " + kem.privateKeyLength() + " bytes");
    }
    HPKE bc = BcHpke.forKem(kem);
    AsymmetricCipherKeyPair pair = bc.deserializePrivateKey(serialized, null);
    return new HpkePrivateKey(
        kem,
        bc.serializePrivateKey(pair.getPrivate()),
        HpkePublicKey.of(kem, bc.serializePublicKey(pair.getPublic())));
  }

  /** The KEM this key belongs to. */
  public HpkeKem kem() {
    return kem;
  }

  /** The matching public key. */
  public HpkePublicKey publicKey() {
    return publicKey;
  }

  /** A copy of the serialized private key (SerializePrivateKey); the caller wipes it. */
  public byte[] bytes(SecretKeyAccess access) throws HpkeException {
    Objects.requireNonNull(access, "access");
    return scalar().clone();
  }

  byte[] scalar() throws HpkeException {
    if (destroyed) {
      throw new HpkeException(HpkeException.BAD_KEY, "this HPKE private key was destroyed");
    }
    return scalar;
  }

  @Override
  public void destroy() {
    destroyed = true;
    Secrets.wipe(scalar);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "HpkePrivateKey[" + kem + ", public=" + publicKey + ", secret redacted]";
  }
}
