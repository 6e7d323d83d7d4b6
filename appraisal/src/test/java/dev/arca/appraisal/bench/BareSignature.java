// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import java.math.BigInteger;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * One evidence signature check with everything but the check itself precomputed (key decoded once
 * and kept, signed bytes and signature extracted): the least any verification of that evidence must
 * spend, and the baseline of {@link AppraisalBenchmark}. Built the way the evidence module's
 * verifier benchmarks build theirs, so the figures compare with docs/benchmarks.md.
 */
interface BareSignature {
  /** Runs the check; true when the signature verifies. */
  boolean verify() throws Exception;

  /**
   * ECDSA with Bouncy Castle's lightweight API on its optimized curve (what the SEV-SNP and TDX
   * verifiers use, and the fastest ECDSA check on the JVM here): {@code curve} secp256r1 (SHA-256)
   * or secp384r1 (SHA-384).
   */
  static BareSignature lightweight(
      String curve, byte[] publicPoint, byte[] signed, BigInteger r, BigInteger s) {
    var x9 = CustomNamedCurves.getByName(curve);
    ECDomainParameters domain =
        new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    ECPublicKeyParameters key =
        new ECPublicKeyParameters(domain.getCurve().decodePoint(publicPoint), domain);
    boolean sha384 = curve.equals("secp384r1");
    return () -> {
      Digest d = sha384 ? new SHA384Digest() : new SHA256Digest();
      d.update(signed, 0, signed.length);
      byte[] hash = new byte[d.getDigestSize()];
      d.doFinal(hash, 0);
      ECDSASigner signer = new ECDSASigner();
      signer.init(false, key);
      return signer.verifySignature(hash, r, s);
    };
  }

  /** The uncompressed point of an EC public key (from its SubjectPublicKeyInfo). */
  static byte[] point(PublicKey key) {
    return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
  }
}
