// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import java.math.BigInteger;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One evidence signature check with everything but the check itself precomputed (key decoded once
 * and kept, signed bytes and signature extracted): the least any verification of that evidence must
 * spend, and the baseline of {@link AppraisalBenchmark}. Built the way the evidence module's
 * verifier benchmarks build theirs, so the figures compare with docs/benchmarks.md.
 */
interface BareSignature {
  Provider BC = new BouncyCastleProvider();

  /** Runs the check; true when the signature verifies. */
  boolean verify() throws Exception;

  /**
   * ECDSA with Bouncy Castle's lightweight API on its optimized curve (what the SEV-SNP and TDX
   * verifiers use): {@code curve} secp256r1 (SHA-256) or secp384r1 (SHA-384).
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

  /**
   * ECDSA through the JCA with a Bouncy Castle provider instance (what {@code CoseSign1} uses):
   * {@code raw} is the COSE r||s signature.
   */
  static BareSignature jca(String algorithm, PublicKey key, byte[] signed, byte[] raw)
      throws Exception {
    int n = raw.length / 2;
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(new BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, n))));
    v.add(new ASN1Integer(new BigInteger(1, java.util.Arrays.copyOfRange(raw, n, 2 * n))));
    byte[] der = new DERSequence(v).getEncoded();
    return () -> {
      Signature sig = Signature.getInstance(algorithm, BC);
      sig.initVerify(key);
      sig.update(signed);
      return sig.verify(der);
    };
  }
}
