// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceFiles;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cca.CcaVerifier;
import dev.arca.evidence.cose.CoseSign1;
import dev.arca.evidence.nitro.NitroVerifier;
import dev.arca.evidence.psa.PsaVerifier;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * COSE-based evidence (Nitro document, PSA token, CCA token) verified whole, each beside the bare
 * ECDSA check(s) it contains, precomputed so only the signature math runs: ES384 for Nitro (with
 * Bouncy Castle, what the verifier uses, and with SunEC), ES256 for PSA, two ES384 for CCA
 * (platform and realm). The Nitro chain's four signatures are cached by fingerprint in
 * CertificateChains after the first verification, as in a running service.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoseEvidenceBenchmark {
  private static final Provider BC = new BouncyCastleProvider();
  private static final Provider SUN_EC = java.security.Security.getProvider("SunEC");
  private static final CborDecoder CBOR = CborDecoder.strict();

  private final NitroVerifier nitro = new NitroVerifier();
  private final PsaVerifier psa = new PsaVerifier();
  private final CcaVerifier cca = new CcaVerifier();
  private byte[] nitroDocument;
  private VerificationContext nitroContext;
  private Bare nitroBare;
  private byte[] psaToken;
  private VerificationContext psaContext;
  private Bare psaBare;
  private byte[] ccaToken;
  private VerificationContext ccaContext;
  private Bare ccaPlatformBare;
  private Bare ccaRealmBare;

  /** One precomputed signature check: key, signed bytes, DER signature. */
  private record Bare(String alg, PublicKey key, byte[] signed, byte[] der) {
    boolean verify(Provider p) throws Exception {
      Signature s = Signature.getInstance(alg, p);
      s.initVerify(key);
      s.update(signed);
      return s.verify(der);
    }
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = CoseEvidenceBenchmark.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    }
  }

  private static PublicKey pem(String name) throws Exception {
    return EvidenceFiles.publicKey(
        new String(resource(name), StandardCharsets.US_ASCII), Path.of(name));
  }

  private static Bare bare(byte[] coseBytes, PublicKey key) throws Exception {
    CoseSign1 cose = CoseSign1.decode(coseBytes, CBOR);
    byte[] raw = cose.signature();
    int n = raw.length / 2;
    byte[] der =
        new DERSequence(
                new ASN1Encodable[] {
                  new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, n))),
                  new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, n, 2 * n)))
                })
            .getEncoded();
    return new Bare(cose.algorithm().jcaName(), key, cose.sigStructure(), der);
  }

  @Setup
  public void setUp() throws Exception {
    nitroDocument = resource("nitro/nitro_attestation.cbor");
    nitroContext =
        VerificationContext.insecureWithoutBinding(Instant.parse("2024-09-07T14:37:39.545Z"))
            .build();
    byte[] payload = CoseSign1.decode(nitroDocument, CBOR).payload();
    byte[] leafDer = CBOR.decode(payload).get("certificate").orElseThrow().asBytes();
    X509Certificate leaf =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(leafDer));
    nitroBare = bare(nitroDocument, leaf.getPublicKey());

    psaToken = resource("psa/psa-2_0_0_sign1.bin");
    PublicKey iak = pem("psa/public.pem");
    psaContext = VerificationContext.insecureWithoutBinding(Instant.EPOCH).trustedKey(iak).build();
    psaBare = bare(psaToken, iak);

    ccaToken = resource("cca/cca_token.cbor");
    PublicKey platformKey = pem("cca/cca_platform.pub");
    ccaContext =
        VerificationContext.insecureWithoutBinding(Instant.EPOCH).trustedKey(platformKey).build();
    var outer = ((dev.arca.evidence.cbor.CborValue.Tag) CBOR.decode(ccaToken)).content();
    byte[] platformToken = outer.get(44234).orElseThrow().asBytes();
    byte[] realmToken = outer.get(44241).orElseThrow().asBytes();
    ccaPlatformBare = bare(platformToken, platformKey);
    byte[] rak =
        CBOR.decode(CoseSign1.decode(realmToken, CBOR).payload())
            .get(44237)
            .orElseThrow()
            .asBytes();
    ccaRealmBare =
        bare(
            realmToken,
            dev.arca.evidence.cose.EcKeys.fromUncompressedPoint(
                rak, dev.arca.evidence.cose.CoseAlgorithm.ES384));

    if (!nitroBareEs384Bc()
        || !nitroBareEs384SunEc()
        || !psaBareEs256Bc()
        || !ccaBareTwoEs384Bc()) {
      throw new IllegalStateException("a bare signature does not verify");
    }
    nitroVerify();
    psaVerify();
    ccaVerify();
  }

  @Benchmark
  public Object nitroVerify() throws EvidenceException {
    return nitro.verify(nitroDocument, nitroContext);
  }

  @Benchmark
  public boolean nitroBareEs384Bc() throws Exception {
    return nitroBare.verify(BC);
  }

  @Benchmark
  public boolean nitroBareEs384SunEc() throws Exception {
    return nitroBare.verify(SUN_EC);
  }

  @Benchmark
  public Object psaVerify() throws EvidenceException {
    return psa.verify(psaToken, psaContext);
  }

  @Benchmark
  public boolean psaBareEs256Bc() throws Exception {
    return psaBare.verify(BC);
  }

  @Benchmark
  public Object ccaVerify() throws EvidenceException {
    return cca.verify(ccaToken, ccaContext);
  }

  @Benchmark
  public boolean ccaBareTwoEs384Bc() throws Exception {
    // Both verifications are the measured work, so neither may be skipped.
    boolean platform = ccaPlatformBare.verify(BC);
    boolean realm = ccaRealmBare.verify(BC);
    return platform && realm;
  }
}
