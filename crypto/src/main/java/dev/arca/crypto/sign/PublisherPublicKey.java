// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import com.google.crypto.tink.PublicKeyVerify;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A publisher's public key with its key id: what a runtime or auditor needs to verify a manifest
 * signature. Immutable. Encoded keys: ECDSA P-256 as the 65-byte uncompressed point (SEC 1 section
 * 2.3.3), Ed25519 as the 32-byte key of RFC 8032. The point is checked to lie on the curve when the
 * key is created.
 *
 * <p>Verification runs on Bouncy Castle (see {@link Providers}).
 */
public final class PublisherPublicKey {
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final String keyId;
  private final SignatureAlgorithm algorithm;
  private final byte[] encoded;
  private final PublicKeyVerify verifier;

  private PublisherPublicKey(
      String keyId, SignatureAlgorithm algorithm, byte[] encoded, PublicKeyVerify verifier) {
    this.keyId = keyId;
    this.algorithm = algorithm;
    this.encoded = encoded;
    this.verifier = verifier;
  }

  /**
   * Creates a key from its encoding.
   *
   * @throws SignatureException {@code sign.bad-key} for a malformed key id or key (wrong length,
   *     point not on the curve)
   */
  public static PublisherPublicKey of(String keyId, SignatureAlgorithm algorithm, byte[] encoded)
      throws SignatureException {
    checkKeyId(keyId);
    Objects.requireNonNull(algorithm, "algorithm");
    if (encoded == null) {
      throw new SignatureException(SignatureException.BAD_KEY, "missing public key bytes");
    }
    byte[] copy = encoded.clone();

    PublicKeyVerify verifier =
        switch (algorithm) {
          case ECDSA_P256_SHA256 -> ecdsaVerifier(keyId, copy);
          case ED25519 -> ed25519Verifier(keyId, copy);
          default -> throw new IllegalStateException(algorithm.name());
        };
    return new PublisherPublicKey(keyId, algorithm, copy, verifier);
  }

  static void checkKeyId(String keyId) throws SignatureException {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new SignatureException(
          SignatureException.BAD_KEY,
          "publisher key id must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a"
              + " letter or digit");
    }
  }

  public String keyId() {
    return keyId;
  }

  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The encoded public key (a copy). */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** This key as a Tink {@link PublicKeyVerify} (Bouncy Castle underneath). */
  public PublicKeyVerify asPublicKeyVerify() {
    return verifier;
  }

  /**
   * Verifies {@code signature} over {@code data}.
   *
   * @throws SignatureException {@code sign.invalid-signature} if it does not verify
   */
  public void verify(byte[] signature, byte[] data) throws SignatureException {
    try {
      verifier.verify(signature, data);
    } catch (GeneralSecurityException e) {
      throw new SignatureException(
          SignatureException.INVALID_SIGNATURE,
          "signature does not verify under publisher key '" + keyId + "'");
    }
  }

  private static PublicKeyVerify ecdsaVerifier(String keyId, byte[] point)
      throws SignatureException {
    if (point.length != 65 || point[0] != 0x04) {
      throw new SignatureException(
          SignatureException.BAD_KEY,
          "ECDSA P-256 key '" + keyId + "' must be a 65-byte uncompressed point");
    }
    PublicKey key;
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC", Providers.bouncyCastle());
      params.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
      ECPoint w =
          new ECPoint(
              new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
              new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
      // Bouncy Castle validates that the point lies on the curve here.
      key =
          KeyFactory.getInstance("EC", Providers.bouncyCastle())
              .generatePublic(new ECPublicKeySpec(w, spec));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SignatureException(
          SignatureException.BAD_KEY, "ECDSA P-256 key '" + keyId + "' is not a valid curve point");
    }
    // Signature lookup through the provider costs about as much as a verification; keep one
    // engine per thread (Signature objects are not thread-safe).
    ThreadLocal<Signature> engines =
        ThreadLocal.withInitial(
            () -> {
              try {
                return Signature.getInstance("SHA256withECDSA", Providers.bouncyCastle());
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Bouncy Castle lacks SHA256withECDSA", e);
              }
            });
    return (signature, data) -> {
      Signature s = engines.get();
      s.initVerify(key);
      s.update(data);
      if (!s.verify(signature)) {
        throw new GeneralSecurityException("invalid signature");
      }
    };
  }

  private static PublicKeyVerify ed25519Verifier(String keyId, byte[] raw)
      throws SignatureException {
    if (raw.length != 32) {
      throw new SignatureException(
          SignatureException.BAD_KEY, "Ed25519 key '" + keyId + "' must be 32 bytes");
    }
    Ed25519PublicKeyParameters params;
    try {
      params = new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      throw new SignatureException(
          SignatureException.BAD_KEY, "Ed25519 key '" + keyId + "' is not a valid point");
    }
    return (signature, data) -> {
      Ed25519Signer s = new Ed25519Signer();
      s.init(false, params);
      s.update(data, 0, data.length);
      if (signature == null || signature.length != 64 || !s.verifySignature(signature)) {
        throw new GeneralSecurityException("invalid signature");
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublisherPublicKey publisherPublicKey
        && publisherPublicKey.keyId.equals(keyId)
        && publisherPublicKey.algorithm == algorithm
        && Arrays.equals(publisherPublicKey.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, algorithm, Arrays.hashCode(encoded));
  }

  @Override
  public String toString() {
    return "PublisherPublicKey["
        + keyId
        + ", "
        + algorithm.label()
        + ", "
        + Base64.getUrlEncoder().withoutPadding().encodeToString(encoded)
        + "]";
  }
}
