// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import dev.arca.evidence.internal.BoundedCache;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * ECDSA verification of a COSE raw {@code r || s} signature on Bouncy Castle's lightweight API,
 * with keys decoded onto its optimized named curves (P-256, P-384, P-521) and kept.
 *
 * <p>Why: the JCA path decodes the key on a generic curve for every signature, and re-encodes the
 * signature as DER; a key decoded once on the optimized curve keeps Bouncy Castle's precomputation
 * in its point, which makes the next check of that key several times faster (a Nitro document's
 * leaf, a PSA IAK, a CCA platform key recur). The check itself is the one the JCA's ECDSA runs:
 * {@link ECDSASigner} over the algorithm's digest, r and s each in [1, n-1].
 *
 * <p>Keys are remembered only after they decoded as a point on the algorithm's curve, by the
 * SHA-256 of their whole SubjectPublicKeyInfo; no verification result is cached.
 */
final class EcdsaRaw {
  private static final BoundedCache<ECPublicKeyParameters> KEYS = new BoundedCache<>(1024);
  private static final ECDomainParameters P256 = domain("secp256r1");
  private static final ECDomainParameters P384 = domain("secp384r1");
  private static final ECDomainParameters P521 = domain("secp521r1");

  private EcdsaRaw() {}

  private static ECDomainParameters domain(String name) {
    var x9 = CustomNamedCurves.getByName(name);
    return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
  }

  private static ECDomainParameters domain(CoseAlgorithm alg) {
    return switch (alg) {
      case ES256 -> P256;
      case ES384 -> P384;
      case ES512 -> P521;
    };
  }

  private static Digest digest(CoseAlgorithm alg) {
    return switch (alg) {
      case ES256 -> new SHA256Digest();
      case ES384 -> new SHA384Digest();
      case ES512 -> new SHA512Digest();
    };
  }

  /**
   * {@code key} on {@code alg}'s named curve, from the cache when its encoding was decoded before.
   *
   * @throws CoseException {@link CoseException.Reason#KEY_MISMATCH} when it is not a point on that
   *     curve (a key with other domain parameters of the same size included)
   */
  static ECPublicKeyParameters key(PublicKey key, CoseAlgorithm alg) throws CoseException {
    byte[] spki = key.getEncoded();
    if (spki == null) {
      throw new CoseException(CoseException.Reason.KEY_MISMATCH, "the key has no encoding");
    }
    ECDomainParameters domain = domain(alg);
    // The algorithm is part of the id: a cached key is on the curve it was checked against.
    String id =
        BoundedCache.key(alg.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII), spki);
    ECPublicKeyParameters cached = KEYS.get(id);
    if (cached != null) {
      return cached;
    }
    try {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
      AsymmetricKeyParameter k = PublicKeyFactory.createKey(info);
      if (!(k instanceof ECPublicKeyParameters ec) || !sameDomain(ec.getParameters(), domain)) {
        throw notOnCurve(alg);
      }
      ECPublicKeyParameters fast =
          new ECPublicKeyParameters(
              domain.getCurve().decodePoint(info.getPublicKeyData().getBytes()), domain);
      KEYS.put(id, fast);
      return fast;
    } catch (java.io.IOException | RuntimeException e) {
      throw notOnCurve(alg);
    }
  }

  private static boolean sameDomain(ECDomainParameters a, ECDomainParameters b) {
    return a.getCurve().equals(b.getCurve())
        && a.getN().equals(b.getN())
        && a.getH().equals(b.getH())
        && Arrays.equals(a.getG().getEncoded(false), b.getG().getEncoded(false));
  }

  private static CoseException notOnCurve(CoseAlgorithm alg) {
    return new CoseException(
        CoseException.Reason.KEY_MISMATCH,
        "the key is not a point on the P-" + alg.fieldBits() + " curve " + alg + " requires");
  }

  /**
   * Whether the raw {@code r || s} (each {@code alg.coordinateBytes()} long) verifies over {@code
   * message}; false when r or s is outside [1, n-1].
   */
  static boolean verify(
      ECPublicKeyParameters key, CoseAlgorithm alg, byte[] message, byte[] rawSignature) {
    int n = alg.coordinateBytes();
    if (rawSignature.length != 2 * n) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(rawSignature, 0, n));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rawSignature, n, 2 * n));
    BigInteger order = key.getParameters().getN();
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(order) >= 0 || s.compareTo(order) >= 0) {
      return false;
    }
    Digest d = digest(alg);
    d.update(message, 0, message.length);
    byte[] hash = new byte[d.getDigestSize()];
    d.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key);
    return signer.verifySignature(hash, r, s);
  }
}
