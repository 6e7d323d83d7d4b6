// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.android.AndroidKeyVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Android key attestation chain verification (parse four certificates, chain check with the
 * fingerprint cache, root self-signature cache, key description, claims) beside the bare ECDSA
 * P-256 signature check of the leaf certificate, with the Bouncy Castle provider (what the verifier
 * uses) and with SunEC; plus all four chain signatures uncached, as the cost of a first sighting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AndroidKeyBenchmark {
  private static final Provider BC = new BouncyCastleProvider();
  private final AndroidKeyVerifier verifier = new AndroidKeyVerifier();
  private byte[] chain;
  private VerificationContext context;
  private X509Certificate[] certs;
  private byte[] leafTbs;
  private byte[] leafSignature;

  @Setup
  public void setUp() throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    ByteArrayOutputStream pem = new ByteArrayOutputStream();
    certs = new X509Certificate[4];
    for (int i = 0; i < 4; i++) {
      String name = "/vectors/android/algorithm_EC_SecurityLevel_TEE/cert" + i + ".pem";
      try (InputStream in = AndroidKeyBenchmark.class.getResourceAsStream(name)) {
        byte[] b = in.readAllBytes();
        pem.write(b);
        pem.write('\n');
        certs[i] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b));
      }
    }
    chain = pem.toByteArray();
    context =
        VerificationContext.expectingNonce(
                Instant.parse("2020-01-01T00:00:00Z"), new byte[] {'a', 'b', 'c'})
            .build();
    leafTbs = certs[0].getTBSCertificate();
    leafSignature = certs[0].getSignature();
    if (!bareLeafSignatureBc() || !bareLeafSignatureSunEc()) {
      throw new IllegalStateException("the leaf signature does not verify");
    }
    androidKeyVerify();
  }

  @Benchmark
  public Object androidKeyVerify() throws EvidenceException {
    return verifier.verify(chain, context);
  }

  @Benchmark
  public boolean bareLeafSignatureBc() throws Exception {
    Signature sig = Signature.getInstance("SHA256withECDSA", BC);
    sig.initVerify(certs[1].getPublicKey());
    sig.update(leafTbs);
    return sig.verify(leafSignature);
  }

  @Benchmark
  public boolean bareLeafSignatureSunEc() throws Exception {
    Signature sig = Signature.getInstance("SHA256withECDSA", "SunEC");
    sig.initVerify(certs[1].getPublicKey());
    sig.update(leafTbs);
    return sig.verify(leafSignature);
  }

  @Benchmark
  public int allFourSignaturesUncachedBc() throws Exception {
    for (int i = 0; i < 3; i++) {
      certs[i].verify(certs[i + 1].getPublicKey(), BC);
    }
    certs[3].verify(certs[3].getPublicKey(), BC);
    return 4;
  }
}
