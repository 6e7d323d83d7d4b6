// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.Secrets;
import dev.arca.crypto.hpke.Hpke;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.hpke.HpkePublicKey;
import dev.arca.crypto.hpke.HpkeSuite;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.SealException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Key release: wraps a model's data key to a runtime's attested HPKE key (RFC 9180 base mode,
 * single-shot, empty aad) with {@code info} = {@link KeyReleaseInfo#bytes()}, so the wrapped key
 * opens only with the runtime's private key and only for the grant, model version and manifest it
 * was released for.
 */
public final class KeyRelease {
  private KeyRelease() {}

  /** Wraps with Arca's default suite, X25519 / HKDF-SHA256 / AES-256-GCM. */
  public static WrappedKey wrap(
      DataKey dataKey, HpkePublicKey runtimeKey, KeyReleaseInfo info, SecureRandom random)
      throws HpkeException, SealException {
    return wrap(HpkeSuite.X25519_SHA256_AES256GCM, dataKey, runtimeKey, info, random);
  }

  /**
   * Wraps {@code dataKey} to {@code runtimeKey}.
   *
   * @throws HpkeException {@code hpke.bad-key} for a key of another KEM
   * @throws SealException {@code seal.wrong-data-key} if the data key was destroyed
   */
  public static WrappedKey wrap(
      HpkeSuite suite,
      DataKey dataKey,
      HpkePublicKey runtimeKey,
      KeyReleaseInfo info,
      SecureRandom random)
      throws HpkeException, SealException {
    Objects.requireNonNull(info, "info");
    byte[] raw = dataKey.bytes(InsecureSecretKeyAccess.get());
    try {
      Hpke.Sealed sealed = Hpke.of(suite).seal(runtimeKey, info.bytes(), new byte[0], raw, random);
      return new WrappedKey(suite, sealed.enc(), sealed.ciphertext());
    } finally {
      Secrets.wipe(raw);
    }
  }

  /**
   * Unwraps a released key with the runtime's private key.
   *
   * @throws HpkeException {@code hpke.open-failed} (wrong runtime key, a different grant, model,
   *     version or manifest, or a tampered ciphertext), {@code hpke.bad-encapsulation}
   * @throws SealException {@code seal.wrong-data-key} if the plaintext is not a 32-byte key
   */
  public static DataKey unwrap(WrappedKey wrapped, HpkePrivateKey runtimeKey, KeyReleaseInfo info)
      throws HpkeException, SealException {
    byte[] raw =
        Hpke.of(wrapped.suite())
            .open(wrapped.enc(), runtimeKey, info.bytes(), new byte[0], wrapped.ciphertext());
    try {
      return DataKey.fromBytes(raw, InsecureSecretKeyAccess.get());
    } finally {
      Secrets.wipe(raw);
    }
  }
}
