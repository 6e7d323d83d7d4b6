// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Quotes whose TD body differs from the real vector's (debug, TD attributes, SEAM attributes, a TDX
 * 1.5 body) or whose PCK differs (key type, extensions). Intel's keys cannot sign them, so a test
 * PKI stands in for the platform: a test root (trusted next to the pinned Intel root), a PCK CA and
 * a PCK carrying the real PCK's SGX extensions, which signs a QE report binding a fresh attestation
 * key, which signs the edited header and body. Intel's real TCB info and QE identity stay as they
 * are; the two CRLs are the test CAs'.
 */
class TdxForgedQuoteTest {
  private static final byte[] QUOTE = TdxVerifierTest.QUOTE;
  private static final int BODY = 48;
  private static final int V4_SIGNED = 632;
  private static final int QE_REPORT = 770;
  private static final int QE_AUTH_DATA = 1220;
  // TD report body offsets (TDX 1.0): SEAM attributes at 112, TD attributes at 120.
  private static final int SEAM_ATTRIBUTES = BODY + 112;
  private static final int TD_ATTRIBUTES = BODY + 120;
  private static final int REPORT_DATA = BODY + 520;

  private final TdxVerifier verifier = new TdxVerifier();
  private final KeyPair rootKey = TestPki.p256();
  private final KeyPair caKey = TestPki.p256();
  private final X509Certificate root =
      TestPki.cert("CN=Test SGX Root CA,O=Arca Test", rootKey).ca(true).build();
  private final X509Certificate pckCa =
      TestPki.cert("CN=Test PCK Platform CA,O=Arca Test", caKey)
          .issuedBy("CN=Test SGX Root CA,O=Arca Test", rootKey)
          .ca(0)
          .build();

  /** A quote: {@code signed} (header and body) signed as a platform under the test root. */
  private byte[] quote(byte[] signed, KeyPair pckKey, X509Certificate pck) throws Exception {
    KeyPair attestation = TestPki.p256();
    byte[] attestationKey = rawPoint((ECPublicKey) attestation.getPublic());
    byte[] authData = Arrays.copyOfRange(QUOTE, QE_AUTH_DATA, QE_AUTH_DATA + 32);
    byte[] qeReport = Arrays.copyOfRange(QUOTE, QE_REPORT, QE_REPORT + 384);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(attestationKey);
    sha.update(authData);
    byte[] binding = Arrays.copyOf(sha.digest(), 64);
    System.arraycopy(binding, 0, qeReport, 320, 64);
    byte[] pem = pem(pck, pckCa, root);

    ByteArrayOutputStream qeData = new ByteArrayOutputStream();
    qeData.writeBytes(qeReport);
    qeData.writeBytes(rawSignature(pckKey.getPrivate(), qeReport));
    qeData.writeBytes(le(32, 2));
    qeData.writeBytes(authData);
    qeData.writeBytes(le(5, 2));
    qeData.writeBytes(le(pem.length, 4));
    qeData.writeBytes(pem);
    byte[] certification = qeData.toByteArray();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(signed);
    out.writeBytes(le(64 + 64 + 2 + 4 + certification.length, 4));
    out.writeBytes(rawSignature(attestation.getPrivate(), signed));
    out.writeBytes(attestationKey);
    out.writeBytes(le(6, 2));
    out.writeBytes(le(certification.length, 4));
    out.writeBytes(certification);
    return out.toByteArray();
  }

  /** The real v4 header and body, edited, signed under the test root with a proper PCK. */
  private byte[] quote(Consumer<byte[]> edit) throws Exception {
    byte[] signed = Arrays.copyOf(QUOTE, V4_SIGNED);
    edit.accept(signed);
    KeyPair pckKey = TestPki.p256();
    return quote(signed, pckKey, pck(pckKey, sgxExtensions()));
  }

  private X509Certificate pck(KeyPair key, byte[] sgxExtensions) {
    return TestPki.cert("CN=Test PCK Certificate,O=Arca Test", key)
        .issuedBy("CN=Test PCK Platform CA,O=Arca Test", caKey)
        .extension(PckExtensions.SGX_EXTENSIONS, sgxExtensions)
        .build();
  }

  /** The real PCK's SGX extensions (FMSPC, PCE-ID, TCB, PPID), so Intel's collateral applies. */
  private static byte[] sgxExtensions() throws Exception {
    X509Certificate real = StrictPem.certificates(TdxQuote.parse(QUOTE).pckChain(), "test").get(0);
    return ASN1OctetString.getInstance(real.getExtensionValue(PckExtensions.SGX_EXTENSIONS))
        .getOctets();
  }

  private VerificationContext context() throws Exception {
    Map<String, byte[]> collateral = TdxVerifierTest.collateral();
    collateral.put("pckcrl", crl("CN=Test PCK Platform CA,O=Arca Test", caKey));
    collateral.put("rootcrl.der", crl("CN=Test SGX Root CA,O=Arca Test", rootKey));
    return TdxVerifierTest.context(TdxVerifierTest.AT, collateral).trustAnchor(root).build();
  }

  private static byte[] crl(String issuer, KeyPair key) throws Exception {
    X509v2CRLBuilder b =
        new X509v2CRLBuilder(new X500Name(issuer), Date.from(TdxVerifierTest.AT.minusSeconds(60)));
    b.setNextUpdate(Date.from(TdxVerifierTest.AT.plusSeconds(86_400)));
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
        .getEncoded();
  }

  @Test
  void aShortExpectationBindsTheFirstBytesAndZerosInTheRest() throws Exception {
    // Arca's runtime writes 32 bytes of report data and 32 zeros into REPORTDATA (configfs-tsm).
    byte[] expected = new byte[32];
    Arrays.fill(expected, (byte) 0x5c);
    byte[] padded =
        quote(body -> System.arraycopy(Arrays.copyOf(expected, 64), 0, body, REPORT_DATA, 64));
    Claims c = verifier.verify(padded, context(expected));
    assertThat(c.reportData()).isEqualTo(Arrays.copyOf(expected, 64));

    byte[] secondHalfUsed =
        quote(
            body -> {
              System.arraycopy(expected, 0, body, REPORT_DATA, 32);
              Arrays.fill(body, REPORT_DATA + 32, REPORT_DATA + 64, (byte) 0);
              body[REPORT_DATA + 63] = 1; // first 32 bytes still match
            });
    try {
      verifier.verify(secondHalfUsed, context(expected));
      throw new AssertionError("a non-zero byte after the expected report data was accepted");
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("tdx.report-data.mismatch");
      assertThat(e.getMessage())
          .contains("the first 32 bytes were compared with the expected report data")
          .contains("the other 32 with zeros");
    }
  }

  private VerificationContext context(byte[] reportData) throws Exception {
    Map<String, byte[]> collateral = TdxVerifierTest.collateral();
    collateral.put("pckcrl", crl("CN=Test PCK Platform CA,O=Arca Test", caKey));
    collateral.put("rootcrl.der", crl("CN=Test SGX Root CA,O=Arca Test", rootKey));
    VerificationContext.Builder b =
        VerificationContext.expectingReportData(TdxVerifierTest.AT, reportData).trustAnchor(root);
    collateral.forEach(b::collateral);
    return b.build();
  }

  private List<String> ids(byte[] quote) throws Exception {
    try {
      verifier.verify(quote, context());
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void theUneditedBodySignedUnderTheTestRootVerifies() throws Exception {
    // The control: the test platform alone causes none of the refusals or claims below.
    Claims c = verifier.verify(quote(body -> {}), context());
    assertThat(c.debug()).isFalse();
    assertThat(c.insecureFlags()).containsExactly("tdx.tcb.tcb-level-not-found");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.NO_CLAIM);
  }

  @Test
  void aDebugTdIsFlaggedAndItsConfigurationContraindicated() throws Exception {
    // TD attributes: DEBUG (bit 0), SEPT_VE_DISABLE (28), KL (31), PERFMON (63); PKS (30) off.
    long attributes = 1L | 1L << 28 | 1L << 31 | 1L << 63;
    Claims c =
        verifier.verify(
            quote(
                body ->
                    ByteBuffer.wrap(body)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(TD_ATTRIBUTES, attributes)),
            context());
    assertThat(c.debug()).isTrue();
    assertThat(c.insecureFlags()).containsExactly("tdx.td.debug", "tdx.tcb.tcb-level-not-found");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
    assertThat(c.raw().get("tdAttributes"))
        .isEqualTo(
            Map.of(
                "raw", "8000000090000001",
                "debug", true,
                "septVeDisable", true,
                "pks", false,
                "kl", true,
                "perfmon", true));
  }

  @Test
  void seamAttributesOtherThanTheTcbInfosTdxModuleAreRefused() throws Exception {
    // Intel's TCB info wants all SEAM attributes zero (mask all ones); this sets the top byte.
    assertThat(
            ids(
                quote(
                    body ->
                        ByteBuffer.wrap(body)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(SEAM_ATTRIBUTES, 0x0200000000000000L))))
        .containsExactly("tdx.tcb-info.tdx-module-mismatch");
  }

  @Test
  void aTdx15BodyClaimsItsServiceTdMeasurement() throws Exception {
    byte[] v5 = TdxVerifierTest.asV5(QUOTE, 3, 64);
    byte[] signed = Arrays.copyOf(v5, 48 + 6 + 584 + 64);
    Arrays.fill(signed, 48 + 6 + 584 + 16, signed.length, (byte) 0x5a); // MRSERVICETD
    KeyPair pckKey = TestPki.p256();
    Claims c = verifier.verify(quote(signed, pckKey, pck(pckKey, sgxExtensions())), context());
    String serviceTd = "5a".repeat(48);
    assertThat(c.raw())
        .containsEntry("version", 5)
        .containsEntry("tdxModule", "1.5")
        .containsEntry("mrServiceTd", serviceTd)
        .containsEntry("teeTcbSvn2", "00".repeat(16));
    assertThat(c.measurements()).containsEntry("mrservicetd", serviceTd);
  }

  @Test
  void aPckWhoseKeyIsNotP256IsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = g.generateKeyPair();
    byte[] q = quote(Arrays.copyOf(QUOTE, V4_SIGNED), TestPki.p256(), pck(p384, sgxExtensions()));
    assertThat(ids(q)).containsExactly("tdx.pck.not-p256");
  }

  @Test
  void aPckWithMalformedSgxExtensionsIsRefused() throws Exception {
    KeyPair pckKey = TestPki.p256();
    byte[] q = quote(Arrays.copyOf(QUOTE, V4_SIGNED), pckKey, pck(pckKey, new byte[] {0x30, 0x00}));
    assertThat(ids(q)).containsExactly("tdx.pck.extension-malformed");
  }

  private static byte[] le(long v, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  private static byte[] rawPoint(ECPublicKey k) {
    byte[] out = new byte[64];
    copy32(k.getW().getAffineX(), out, 0);
    copy32(k.getW().getAffineY(), out, 32);
    return out;
  }

  /** ECDSA P-256 over SHA-256 as the quote carries it: r and s, 32 bytes each. */
  private static byte[] rawSignature(PrivateKey key, byte[] data) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(data);
    ASN1Sequence der = ASN1Sequence.getInstance(s.sign());
    byte[] raw = new byte[64];
    copy32(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0);
    copy32(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, 32);
    return raw;
  }

  private static void copy32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
  }

  private static byte[] pem(X509Certificate... chain) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      for (X509Certificate c : chain) {
        p.writeObject(c);
      }
    }
    return w.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
