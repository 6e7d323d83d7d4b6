// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only: TDX quotes signed under a test platform PKI, for what Intel's keys cannot sign (a
 * chosen REPORTDATA or DEBUG attribute, as the service's fresh-challenge flow needs). Public for
 * the service's tests (evidence's test-jar), which trust {@link #root()} only through their
 * test-only configuration.
 *
 * <p>A test root stands in for the Intel SGX Root CA: it issues a PCK Platform CA, which issues a
 * PCK carrying the real PCK's SGX extensions (FMSPC, PCE-ID, TCB, PPID), so Intel's real TCB info
 * and QE identity apply to it. The PCK signs the real QE report with its report data rebound to a
 * fresh attestation key, which signs the real vector's v4 header and TDX 1.0 body ({@code
 * vectors/tdx/tdx_prod_quote_SPR_E4.dat}) with REPORTDATA and TD_ATTRIBUTES.DEBUG set as asked. The
 * test certificates are valid from 2020 to 2030.
 *
 * <p>{@link #collateral(Instant)} is Intel's real TCB info and QE identity (and their issuer
 * chains, under the real Intel root) plus CRLs of the test CAs. Intel's collateral is current only
 * around the vector's time: TCB info from 2023-06-18T08:42:58Z, QE identity until
 * 2023-07-08T07:24:59Z. Verify at {@link #VECTOR_TIME} (2023-07-01), not now. The TCB status is
 * then {@code TcbLevelNotFound} (insecure flag {@code tdx.tcb.tcb-level-not-found}), as for the
 * real vector. Thread-safe.
 */
public final class TestTdxQuotes {
  /** The time at which Intel's real collateral is current: verify quotes at this instant. */
  public static final Instant VECTOR_TIME = Instant.parse("2023-07-01T00:00:00Z");

  /** Offset of the TD report body in a v4 quote (after the 48-byte header). */
  static final int BODY = 48;

  /** Bytes of a v4 quote covered by the attestation key's signature (header and TDX 1.0 body). */
  static final int V4_SIGNED = BODY + TdReport.SIZE_1_0;

  /** TD_ATTRIBUTES in a v4 quote (TD report body offset 120); bit 0 is DEBUG. */
  static final int TD_ATTRIBUTES = BODY + 120;

  /** MRTD in a v4 quote (TD report body offset 136, 48 bytes). */
  static final int MRTD = BODY + 136;

  /** REPORTDATA in a v4 quote (TD report body offset 520, 64 bytes). */
  static final int REPORT_DATA = BODY + 520;

  private static final int QE_REPORT = 770;
  private static final int QE_AUTH_DATA = 1220;
  private static final String ROOT = "CN=Test SGX Root CA,O=Arca Test";
  private static final String PCK_CA = "CN=Test PCK Platform CA,O=Arca Test";
  private static final List<String> INTEL_COLLATERAL =
      List.of(
          "sample_tcbInfo_response",
          "tcbinfo_issuer_chain.pem",
          "sample_qeIdentity_response",
          "qeidentity_issuer_chain.pem");

  private final KeyPair rootKey = TestPki.p256();
  private final KeyPair caKey = TestPki.p256();
  private final X509Certificate root = TestPki.cert(ROOT, rootKey).ca(true).build();
  private final X509Certificate pckCa =
      TestPki.cert(PCK_CA, caKey).issuedBy(ROOT, rootKey).ca(0).build();

  /** The SGX extensions of this platform's PCKs: the real PCK's, with this platform's PPID. */
  private final byte[] extensions;

  /** A fresh test platform with the real PCK's PPID: root, PCK CA (and a PCK per quote). */
  public TestTdxQuotes() {
    this.extensions = sgxExtensions();
  }

  /**
   * A fresh test platform whose PCKs carry {@code ppid} (32 hex digits) in place of the real one,
   * so a test can enrol a platform of its own; FMSPC and TCB stay the real PCK's, so Intel's
   * collateral applies as before.
   */
  public TestTdxQuotes(String ppid) {
    byte[] real = HexFormat.of().parseHex(vectorPpid());
    byte[] own = HexFormat.of().parseHex(ppid);
    if (own.length != real.length) {
      throw new IllegalArgumentException("a PPID has " + real.length + " bytes");
    }
    byte[] ext = sgxExtensions();
    int at = indexOf(ext, real);
    // The PPID is a fixed-length OCTET STRING, so replacing its bytes keeps the DER valid.
    System.arraycopy(own, 0, ext, at, own.length);
    this.extensions = ext;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new IllegalStateException("the vector's PPID is not in its SGX extensions");
  }

  /** The test root, to pin as a trust anchor ({@code VerificationContext.Builder.trustAnchor}). */
  public X509Certificate root() {
    return root;
  }

  /**
   * A v4 quote binding {@code reportData64} (64 bytes) whose TD_ATTRIBUTES.DEBUG bit is set exactly
   * when {@code debug}; everything else in the header and body is the real vector's.
   */
  public byte[] quote(byte[] reportData64, boolean debug) {
    if (reportData64.length != 64) {
      throw new IllegalArgumentException("REPORTDATA has 64 bytes, not " + reportData64.length);
    }
    return quote(
        body -> {
          System.arraycopy(reportData64, 0, body, REPORT_DATA, 64);
          ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
          long attributes = b.getLong(TD_ATTRIBUTES);
          b.putLong(TD_ATTRIBUTES, debug ? attributes | 1 : attributes & ~1L);
        });
  }

  /**
   * The collateral {@link TdxVerifier} reads, under its names: Intel's real {@code
   * sample_tcbInfo_response}, {@code tcbinfo_issuer_chain.pem}, {@code sample_qeIdentity_response}
   * and {@code qeidentity_issuer_chain.pem}, and the test CAs' empty CRLs {@code pckcrl} and {@code
   * rootcrl.der}, current at {@code at} (issued a minute before, next update a day after). A
   * mutable map, so a test can change or drop an entry.
   */
  public Map<String, byte[]> collateral(Instant at) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    INTEL_COLLATERAL.forEach(n -> m.put(n, resource(n)));
    m.put("pckcrl", crl(PCK_CA, caKey, at));
    m.put("rootcrl.der", crl(ROOT, rootKey, at));
    return m;
  }

  /** The real v4 header and body, edited, signed under the test root with a proper PCK. */
  byte[] quote(Consumer<byte[]> edit) {
    byte[] signed = Arrays.copyOf(vector(), V4_SIGNED);
    edit.accept(signed);
    KeyPair pckKey = TestPki.p256();
    return quote(signed, pckKey, pck(pckKey, extensions));
  }

  /** A quote: {@code signed} (header and body) signed as a platform whose PCK is {@code pck}. */
  byte[] quote(byte[] signed, KeyPair pckKey, X509Certificate pck) {
    byte[] vector = vector();
    KeyPair attestation = TestPki.p256();
    byte[] attestationKey = rawPoint((ECPublicKey) attestation.getPublic());
    byte[] authData = Arrays.copyOfRange(vector, QE_AUTH_DATA, QE_AUTH_DATA + 32);
    byte[] qeReport = Arrays.copyOfRange(vector, QE_REPORT, QE_REPORT + 384);
    MessageDigest sha = sha256();
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

  /** A PCK for {@code key} issued by the test PCK CA, with {@code sgxExtensions} as given. */
  X509Certificate pck(KeyPair key, byte[] sgxExtensions) {
    return TestPki.cert("CN=Test PCK Certificate,O=Arca Test", key)
        .issuedBy(PCK_CA, caKey)
        .extension(PckExtensions.SGX_EXTENSIONS, sgxExtensions)
        .build();
  }

  /** The real PCK's SGX extensions (FMSPC, PCE-ID, TCB, PPID), so Intel's collateral applies. */
  static byte[] sgxExtensions() {
    try {
      X509Certificate real =
          StrictPem.certificates(TdxQuote.parse(vector()).pckChain(), "test").get(0);
      return ASN1OctetString.getInstance(real.getExtensionValue(PckExtensions.SGX_EXTENSIONS))
          .getOctets();
    } catch (dev.arca.evidence.EvidenceException e) {
      throw new IllegalStateException("the vector's PCK chain is unreadable", e);
    }
  }

  /** The real quote's MRTD (hex), which every quote of this class carries. */
  public static String vectorMrtd() {
    return HexFormat.of().formatHex(Arrays.copyOfRange(vector(), MRTD, MRTD + 48));
  }

  /** The PPID of the real quote's PCK, which every quote of this class carries (its identity). */
  public static String vectorPpid() {
    try {
      return PckExtensions.parse(sgxExtensions()).ppid();
    } catch (dev.arca.evidence.EvidenceException e) {
      throw new IllegalStateException("the vector's SGX extensions are unreadable", e);
    }
  }

  /** The real quote (a fresh copy). */
  public static byte[] vector() {
    return resource("tdx_prod_quote_SPR_E4.dat");
  }

  private static byte[] resource(String name) {
    try (InputStream in = TestTdxQuotes.class.getResourceAsStream("/vectors/tdx/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] crl(String issuer, KeyPair key, Instant at) {
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(issuer), Date.from(at.minusSeconds(60)));
    b.setNextUpdate(Date.from(at.plusSeconds(86_400)));
    try {
      return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
          .getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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
  private static byte[] rawSignature(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(data);
      ASN1Sequence der = ASN1Sequence.getInstance(s.sign());
      byte[] raw = new byte[64];
      copy32(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0);
      copy32(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, 32);
      return raw;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
  }

  private static byte[] pem(X509Certificate... chain) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      for (X509Certificate c : chain) {
        p.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
