// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.sevsnp.SevSnpVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SEV-SNP report verification (parse, VCEK chain with its fingerprint cache, P-384 signature, hwID,
 * TCB, claims) beside the bare ECDSA P-384/SHA-384 check it contains, with Bouncy Castle's
 * lightweight API (what the verifier uses) and with the JDK's SunEC provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SevSnpBenchmark {
  private final SevSnpVerifier verifier = new SevSnpVerifier();
  private byte[] report;
  private VerificationContext context;
  private ECPublicKeyParameters bcKey;
  private PublicKey jdkKey;
  private byte[] signed;
  private BigInteger r;
  private BigInteger s;
  private byte[] derSignature;

  static byte[] resource(String path) throws IOException {
    try (InputStream in = SevSnpBenchmark.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    }
  }

  @Setup
  public void setUp() throws Exception {
    report = resource("/vectors/sev-snp/attestation.bin");
    byte[] vcek = resource("/vectors/sev-snp/vcek_milan.der");
    context =
        VerificationContext.insecureWithoutBinding(Instant.parse("2024-01-01T00:00:00Z"))
            .collateral("vcek.der", vcek)
            .build();
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(vcek));
    jdkKey = cert.getPublicKey();
    // The best bare check: Bouncy Castle's optimized P-384 curve, a long-lived key.
    var x9 = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp384r1");
    var domain =
        new org.bouncycastle.crypto.params.ECDomainParameters(
            x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    bcKey =
        new ECPublicKeyParameters(
            domain
                .getCurve()
                .decodePoint(
                    SubjectPublicKeyInfo.getInstance(jdkKey.getEncoded())
                        .getPublicKeyData()
                        .getBytes()),
            domain);
    signed = Arrays.copyOf(report, 0x2A0);
    r = le(Arrays.copyOfRange(report, 0x2A0, 0x2A0 + 72));
    s = le(Arrays.copyOfRange(report, 0x2E8, 0x2E8 + 72));
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(s));
    derSignature = new DERSequence(v).getEncoded();
    if (!bareP384BouncyCastle() || !bareP384SunEc()) {
      throw new IllegalStateException("the vector's signature does not verify");
    }
  }

  private static BigInteger le(byte[] b) {
    byte[] be = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      be[i] = b[b.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  @Benchmark
  public Object snpReportVerify() throws EvidenceException {
    return verifier.verify(report, context);
  }

  @Benchmark
  public boolean bareP384BouncyCastle() {
    SHA384Digest d = new SHA384Digest();
    d.update(signed, 0, signed.length);
    byte[] hash = new byte[48];
    d.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, bcKey);
    return signer.verifySignature(hash, r, s);
  }

  @Benchmark
  public boolean bareP384SunEc() throws Exception {
    Signature sig = Signature.getInstance("SHA384withECDSA", "SunEC");
    sig.initVerify(jdkKey);
    sig.update(signed);
    return sig.verify(derSignature);
  }
}
