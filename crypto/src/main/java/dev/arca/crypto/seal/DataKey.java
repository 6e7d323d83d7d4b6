// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.SecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import dev.arca.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * The 32-byte data key of one sealed model: the initial key material of Tink's AES256_GCM_HKDF_1MB
 * streaming AEAD. A secret object: its bytes leave it only through {@link #bytes(SecretKeyAccess)}
 * (for wrapping under a KEK or HPKE), {@link #toString()} never prints them, and {@link #destroy()}
 * wipes them.
 *
 * <p>It is stored only wrapped: under the service's key-encryption key ({@code
 * dev.arca.crypto.kek}) and, for a runtime, under its attested HPKE key ({@code
 * dev.arca.crypto.release}). A fresh key must be generated for every package.
 */
public final class DataKey implements Destroyable {
  /** Length of a data key in bytes. */
  public static final int LENGTH = 32;

  private static final byte[] KEY_CHECK_LABEL =
      "arca/sealed-model/key-check/v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;
  private volatile boolean destroyed;

  private DataKey(byte[] key) {
    this.key = key;
  }

  /** A fresh random data key. */
  public static DataKey generate(SecureRandom random) {
    byte[] k = new byte[LENGTH];
    random.nextBytes(k);
    return new DataKey(k);
  }

  /** A fresh random data key from a new {@link SecureRandom}. */
  public static DataKey generate() {
    return generate(new SecureRandom());
  }

  /**
   * Imports raw key bytes (after unwrapping). The caller should wipe its copy.
   *
   * @throws SealException {@code seal.wrong-data-key} if not {@value #LENGTH} bytes
   */
  public static DataKey fromBytes(byte[] raw, SecretKeyAccess access) throws SealException {
    Objects.requireNonNull(access, "access");
    if (raw == null || raw.length != LENGTH) {
      throw new SealException(
          SealException.WRONG_DATA_KEY, "a data key must be " + LENGTH + " bytes");
    }
    return new DataKey(raw.clone());
  }

  /** A copy of the key bytes, for wrapping; the caller wipes it. */
  public byte[] bytes(SecretKeyAccess access) throws SealException {
    Objects.requireNonNull(access, "access");
    return live().clone();
  }

  /** Constant-time equality of two keys. */
  public boolean sameKeyAs(DataKey other) throws SealException {
    return Secrets.constantTimeEquals(live(), other.live());
  }

  private byte[] live() throws SealException {
    if (destroyed) {
      throw new SealException(SealException.WRONG_DATA_KEY, "this data key was destroyed");
    }
    return key;
  }

  /**
   * The key check value stored in a package: HMAC-SHA256(key, label || manifest digest). It lets
   * open report a wrong key as such, and commits the package to this one key.
   */
  byte[] keyCheck(byte[] manifestDigest) throws SealException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(live(), "HmacSHA256"));
      mac.update(KEY_CHECK_LABEL);
      return mac.doFinal(manifestDigest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("JDK lacks HmacSHA256", e);
    }
  }

  // Builds a Tink key from the raw data-key bytes, which Tink treats as a partial-key access.
  @AccessesPartialKey
  AesGcmHkdfStreaming streamingAead() throws SealException {
    try {
      StreamingAead aead =
          AesGcmHkdfStreaming.create(
              AesGcmHkdfStreamingKey.create(
                  PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB,
                  SecretBytes.copyFrom(live(), InsecureSecretKeyAccess.get())));
      // Tink returns its subtle implementation; we need it for expectedCiphertextSize.
      return (AesGcmHkdfStreaming) aead;
    } catch (SealException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink rejected AES256_GCM_HKDF_1MB parameters", e);
    }
  }

  @Override
  public void destroy() {
    destroyed = true;
    Secrets.wipe(key);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "DataKey[redacted]";
  }
}
