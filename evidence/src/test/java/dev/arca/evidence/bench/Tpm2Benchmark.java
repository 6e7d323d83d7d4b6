// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.tpm2.Tpm2Bundle;
import dev.arca.evidence.tpm2.Tpm2Verifier;
import dev.arca.evidence.tpm2.TpmtPublic;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verification of a swtpm ECC quote bundle (JSON parse, TPMS_ATTEST/TPMT_PUBLIC/TPMT_SIGNATURE
 * parse, enrolled-AK check, ECDSA P-256/SHA-256 signature, PCR digest, nonce, claims) beside the
 * bare ECDSA check it contains: SHA-256 of the TPMS_ATTEST plus the signature verification, with
 * Bouncy Castle's lightweight API (what the verifier uses) and with the JDK's SunEC provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Tpm2Benchmark {
  private final Tpm2Verifier verifier = new Tpm2Verifier();
  private byte[] bundleJson;
  private VerificationContext context;
  private byte[] attest;
  private ECPublicKeyParameters bcKey;
  private PublicKey jdkKey;
  private BigInteger r;
  private BigInteger s;
  private byte[] derSignature;

  @Setup
  public void setUp() throws Exception {
    bundleJson = resource("/vectors/tpm-swtpm/ecc_quote.tpm2.json");
    Tpm2Bundle bundle = Tpm2Bundle.parse(bundleJson);
    TpmtPublic ak = TpmtPublic.parse(bundle.akPublic());
    jdkKey =
        KeyFactory.getInstance("EC")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(ak.toPublicKey().getEncoded()));
    bcKey =
        (ECPublicKeyParameters)
            PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(jdkKey.getEncoded()));
    context =
        VerificationContext.expectingNonce(
                Instant.parse("2026-01-01T00:00:00Z"), SwtpmQuoteFixture.NONCE)
            .trustedKey(ak.toPublicKey())
            .build();
    attest = bundle.attest();
    // TPMT_SIGNATURE for ECDSA: sigAlg, hash, TPM2B r, TPM2B s.
    ByteBuffer sig = ByteBuffer.wrap(bundle.signature());
    sig.getShort();
    sig.getShort();
    byte[] rb = new byte[sig.getShort()];
    sig.get(rb);
    byte[] sb = new byte[sig.getShort()];
    sig.get(sb);
    r = new BigInteger(1, rb);
    s = new BigInteger(1, sb);
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(s));
    derSignature = new DERSequence(v).getEncoded();
    if (!bareEcdsaBouncyCastle() || !bareEcdsaSunEc() || verifyQuote() == null) {
      throw new IllegalStateException("the fixture quote does not verify");
    }
  }

  /** The whole verification, as the service and the CLI run it. */
  @Benchmark
  public Object verifyQuote() throws Exception {
    return verifier.verify(bundleJson, context);
  }

  /** Baseline: SHA-256 of the TPMS_ATTEST and ECDSA P-256 verification with Bouncy Castle. */
  @Benchmark
  public boolean bareEcdsaBouncyCastle() {
    SHA256Digest d = new SHA256Digest();
    d.update(attest, 0, attest.length);
    byte[] h = new byte[32];
    d.doFinal(h, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, bcKey);
    return signer.verifySignature(h, r, s);
  }

  /** The same check with the JDK's default provider (SunEC), for the provider choice. */
  @Benchmark
  public boolean bareEcdsaSunEc() throws Exception {
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(jdkKey);
    v.update(attest);
    return v.verify(derSignature);
  }

  static byte[] resource(String path) throws IOException {
    try (InputStream in = Tpm2Benchmark.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return in.readAllBytes();
    }
  }

  static {
    // MessageDigest is loaded early so the first measured call does not pay for provider lookup.
    try {
      MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
