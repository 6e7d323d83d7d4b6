package dev.arca.attestation.keyrelease;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;

/**
 * {@link RuntimeKeyWrapper} on Bouncy Castle's HPKE (base mode, X25519 / HKDF-SHA256 /
 * AES-256-GCM), with an empty associated data.
 */
@ApplicationScoped
@DefaultBean
public class BcHpkeRuntimeKeyWrapper implements RuntimeKeyWrapper {

  @Override
  public Wrapped wrap(byte[] runtimePublicKey, byte[] dataKey, byte[] info)
      throws GeneralSecurityException {
    if (runtimePublicKey.length != 32) {
      throw new GeneralSecurityException("an X25519 public key has 32 bytes");
    }
    HPKE hpke =
        new HPKE(
            HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    try {
      byte[][] out =
          hpke.seal(
              hpke.deserializePublicKey(runtimePublicKey),
              info,
              new byte[0],
              dataKey,
              null,
              null,
              null);
      return new Wrapped(out[1], out[0]);
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      throw new GeneralSecurityException("cannot wrap to this runtime key", e);
    }
  }
}
