// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.tdx.TdxVerifier;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
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
 * TDX quote verification with collateral (parse, PCK chain with its cache, QE report and quote
 * signatures, QE binding, both CRLs, TCB info and QE identity signatures, TCB matching, claims)
 * beside the bare ECDSA P-256 check of the quote signature, with Bouncy Castle's lightweight API
 * (what the verifier uses) and with SunEC.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TdxBenchmark {
  private static final List<String> COLLATERAL =
      List.of(
          "sample_tcbInfo_response",
          "tcbinfo_issuer_chain.pem",
          "sample_qeIdentity_response",
          "qeidentity_issuer_chain.pem",
          "pckcrl",
          "rootcrl.der");
  private final TdxVerifier verifier = new TdxVerifier();
  private byte[] quote;
  private VerificationContext context;
  private ECPublicKeyParameters bcKey;
  private PublicKey jdkKey;
  private byte[] signed;
  private BigInteger r;
  private BigInteger s;
  private byte[] derSignature;

  @Setup
  public void setUp() throws Exception {
    quote = SevSnpBenchmark.resource("/vectors/tdx/tdx_prod_quote_SPR_E4.dat");
    VerificationContext.Builder b =
        VerificationContext.insecureWithoutBinding(Instant.parse("2023-07-01T00:00:00Z"));
    for (String n : COLLATERAL) {
      b.collateral(n, SevSnpBenchmark.resource("/vectors/tdx/" + n));
    }
    context = b.build();
    signed = Arrays.copyOf(quote, 48 + 584);
    r = new BigInteger(1, Arrays.copyOfRange(quote, 636, 668));
    s = new BigInteger(1, Arrays.copyOfRange(quote, 668, 700));
    byte[] xy = Arrays.copyOfRange(quote, 700, 764);
    var x9 = CustomNamedCurves.getByName("secp256r1");
    ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    byte[] point = new byte[65];
    point[0] = 4;
    System.arraycopy(xy, 0, point, 1, 64);
    bcKey = new ECPublicKeyParameters(dom.getCurve().decodePoint(point), dom);
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    jdkKey =
        KeyFactory.getInstance("EC")
            .generatePublic(
                new ECPublicKeySpec(
                    new ECPoint(
                        new BigInteger(1, Arrays.copyOf(xy, 32)),
                        new BigInteger(1, Arrays.copyOfRange(xy, 32, 64))),
                    params.getParameterSpec(ECParameterSpec.class)));
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(s));
    derSignature = new DERSequence(v).getEncoded();
    if (!bareP256BouncyCastle() || !bareP256SunEc()) {
      throw new IllegalStateException("the vector's quote signature does not verify");
    }
  }

  @Benchmark
  public Object tdxQuoteVerify() throws EvidenceException {
    return verifier.verify(quote, context);
  }

  @Benchmark
  public boolean bareP256BouncyCastle() {
    SHA256Digest d = new SHA256Digest();
    d.update(signed, 0, signed.length);
    byte[] hash = new byte[32];
    d.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, bcKey);
    return signer.verifySignature(hash, r, s);
  }

  @Benchmark
  public boolean bareP256SunEc() throws Exception {
    Signature sig = Signature.getInstance("SHA256withECDSA", "SunEC");
    sig.initVerify(jdkKey);
    sig.update(signed);
    return sig.verify(derSignature);
  }
}
