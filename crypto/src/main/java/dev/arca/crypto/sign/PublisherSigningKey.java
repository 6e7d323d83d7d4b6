// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.EcdsaPublicKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A publisher's private signing key: a Tink keyset holding one ECDSA P-256 or Ed25519 key, named by
 * a publisher key id. Signing uses Tink's {@link PublicKeySign}. The keyset is only ever serialized
 * encrypted under a key-encryption key ({@link #toEncryptedJson}); {@link #toString()} prints the
 * key id and public key only.
 *
 * <p>Rotation: generate a new key with a new id, add its public key to every {@link
 * PublisherKeyRing}, sign new manifests with it, and retire the old id from the rings once no
 * package signed by it is in use.
 */
public final class PublisherSigningKey {
  static {
    try {
      SignatureConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String keyId;
  private final SignatureAlgorithm algorithm;
  private final KeysetHandle keyset;
  private final PublicKeySign signer;
  private final PublisherPublicKey publicKey;

  private PublisherSigningKey(String keyId, SignatureAlgorithm algorithm, KeysetHandle keyset)
      throws GeneralSecurityException {
    this.keyId = keyId;
    this.algorithm = algorithm;
    this.keyset = keyset;
    this.signer = keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
    this.publicKey = PublisherPublicKey.of(keyId, algorithm, publicBytes(keyset));
  }

  /**
   * Generates a fresh signing key.
   *
   * @throws SignatureException {@code sign.bad-key} for a malformed key id
   */
  public static PublisherSigningKey generate(SignatureAlgorithm algorithm, String keyId)
      throws SignatureException {
    PublisherPublicKey.checkKeyId(keyId);
    try {
      return new PublisherSigningKey(
          keyId, algorithm, KeysetHandle.generateNew(algorithm.tinkParameters()));
    } catch (GeneralSecurityException e) {
      throw new SignatureException(SignatureException.BAD_KEY, "could not generate key", e);
    }
  }

  /**
   * Reads a key written by {@link #toEncryptedJson}: the keyset is decrypted with {@code kek} and
   * bound to the key id as associated data.
   *
   * @throws SignatureException {@code sign.bad-key} if it does not decrypt, or holds anything other
   *     than one supported signing key
   */
  public static PublisherSigningKey fromEncryptedJson(
      String keyId, SignatureAlgorithm algorithm, String json, Aead kek) throws SignatureException {
    PublisherPublicKey.checkKeyId(keyId);
    try {
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, kek, associatedData(keyId));
      if (handle.size() != 1
          || !algorithm.tinkParameters().equals(handle.getPrimary().getKey().getParameters())) {
        throw new SignatureException(
            SignatureException.BAD_KEY,
            "keyset for '" + keyId + "' must hold exactly one " + algorithm.label() + " key");
      }
      return new PublisherSigningKey(keyId, algorithm, handle);
    } catch (GeneralSecurityException e) {
      if (e instanceof SignatureException signatureException) {
        throw signatureException;
      }
      throw new SignatureException(
          SignatureException.BAD_KEY,
          "signing keyset for '" + keyId + "' does not decrypt with this key-encryption key");
    }
  }

  /** The keyset encrypted under {@code kek} (Tink JSON), bound to the key id. */
  public String toEncryptedJson(Aead kek) throws SignatureException {
    try {
      return TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(keyset, kek, associatedData(keyId));
    } catch (GeneralSecurityException e) {
      throw new SignatureException(SignatureException.BAD_KEY, "could not encrypt keyset", e);
    }
  }

  private static byte[] associatedData(String keyId) {
    return ("arca/publisher-signing-key/v1/" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  public String keyId() {
    return keyId;
  }

  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  public PublisherPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Signs {@code data}.
   *
   * @throws SignatureException {@code sign.bad-key} if the signer fails
   */
  public byte[] sign(byte[] data) throws SignatureException {
    Objects.requireNonNull(data, "data");
    try {
      return signer.sign(data);
    } catch (GeneralSecurityException e) {
      throw new SignatureException(SignatureException.BAD_KEY, "signing failed", e);
    }
  }

  // Reads the raw public point / bytes out of Tink's key objects (a partial-key access to Tink).
  @AccessesPartialKey
  private static byte[] publicBytes(KeysetHandle keyset) throws GeneralSecurityException {
    Object key = keyset.getPublicKeysetHandle().getPrimary().getKey();
    if (key instanceof EcdsaPublicKey ecdsaPublicKey) {
      java.security.spec.ECPoint p = ecdsaPublicKey.getPublicPoint();
      byte[] out = new byte[65];
      out[0] = 0x04;
      put32(p.getAffineX(), out, 1);
      put32(p.getAffineY(), out, 33);
      return out;
    }
    if (key instanceof Ed25519PublicKey ed25519PublicKey) {
      return ed25519PublicKey.getPublicKeyBytes().toByteArray();
    }
    throw new GeneralSecurityException("unsupported key type " + key.getClass().getSimpleName());
  }

  private static void put32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }

  @Override
  public String toString() {
    return "PublisherSigningKey[" + keyId + ", " + algorithm.label() + ", private key redacted]";
  }
}
