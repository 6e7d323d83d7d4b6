// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.internal.BoundedCache;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * ECDSA P-256/SHA-256 with raw r||s signatures, as Intel's quotes and collateral use, on Bouncy
 * Castle's lightweight API (about 14x faster than SunEC on this machine; see docs/benchmarks.md).
 */
final class EcdsaP256 {
  private static final ECDomainParameters P256;

  static {
    var x9 = CustomNamedCurves.getByName("secp256r1");
    P256 = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
  }

  private EcdsaP256() {}

  private static final BoundedCache<ECPublicKeyParameters> KEYS = new BoundedCache<>(1024);

  /** The key from a raw 64-byte x||y, or null when it is not a point on P-256. */
  static ECPublicKeyParameters rawKey(byte[] xy) {
    if (xy.length != 64) {
      return null;
    }
    // Decoded keys are remembered: BC keeps its precomputation for a point in the point itself.
    String k = BoundedCache.key(xy);
    ECPublicKeyParameters cached = KEYS.get(k);
    if (cached != null) {
      return cached;
    }
    byte[] encoded = new byte[65];
    encoded[0] = 4;
    System.arraycopy(xy, 0, encoded, 1, 64);
    try {
      ECPublicKeyParameters key =
          new ECPublicKeyParameters(P256.getCurve().decodePoint(encoded), P256);
      KEYS.put(k, key);
      return key;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The key of a certificate, or null when it is not a P-256 key. */
  static ECPublicKeyParameters key(PublicKey key) {
    try {
      String id = BoundedCache.key(key.getEncoded());
      ECPublicKeyParameters cached = KEYS.get(id);
      if (cached != null) {
        return cached;
      }
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      AsymmetricKeyParameter k = PublicKeyFactory.createKey(info);
      if (k instanceof ECPublicKeyParameters ec
          && ec.getParameters().getCurve().equals(P256.getCurve())) {
        // Re-decoded on the optimized P-256 curve (CustomNamedCurves), several times faster.
        ECPublicKeyParameters fast =
            new ECPublicKeyParameters(
                P256.getCurve().decodePoint(info.getPublicKeyData().getBytes()), P256);
        KEYS.put(id, fast);
        return fast;
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static final BoundedCache<Boolean> VERIFIED = new BoundedCache<>(4096);

  /**
   * Like {@link #verify} but remembers successes, for signatures that recur across quotes (QE
   * report, collateral). A success is remembered by the SHA-256 of the key's point, the whole
   * message and the whole signature (each length-prefixed), so a hit is only ever for the very same
   * check; a failure is always recomputed. Keys on other domain parameters than the P-256 ones of
   * {@link #key} and {@link #rawKey} are checked uncached.
   */
  static boolean verifyCached(ECPublicKeyParameters key, byte[] message, byte[] rs) {
    if (key == null) {
      return false;
    }
    if (!key.getParameters().equals(P256)) {
      return verify(key, message, rs);
    }
    String k = BoundedCache.key(key.getQ().getEncoded(false), message, rs);
    if (VERIFIED.get(k) != null) {
      return true;
    }
    boolean ok = verify(key, message, rs);
    if (ok) {
      VERIFIED.put(k, Boolean.TRUE);
    }
    return ok;
  }

  /** Verifies a raw r||s signature over {@code message}; false for any malformed input. */
  static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] rs) {
    if (key == null || rs.length != 64) {
      return false;
    }
    SHA256Digest d = new SHA256Digest();
    d.update(message, 0, message.length);
    byte[] hash = new byte[32];
    d.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key);
    return signer.verifySignature(
        hash,
        new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)));
  }
}
