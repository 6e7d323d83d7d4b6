// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import dev.arca.evidence.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERIA5String;

/**
 * Test-only: SEV-SNP attestation reports signed under a test AMD PKI, for what no AMD-signed vector
 * can show (a chosen REPORT_DATA, measurement or debug policy, as the service's fresh-challenge
 * flow needs). Public for the service's tests (evidence's test-jar), which trust {@link #root()}
 * only through their test-only configuration.
 *
 * <p>The PKI mirrors AMD's shape: a self-signed test ARK issues a test ASK, which issues one VCEK
 * per chip id, all valid between the two instants given to the constructor. AMD signs its ARK and
 * ASK with RSA-PSS; this PKI uses ECDSA P-256 (P-384 for the VCEK, whose key must sign reports),
 * which {@link SevSnpVerifier} accepts the same way for a root passed as a trust anchor. A VCEK
 * carries the extensions the verifier reads: product name {@code Milan}, the bootloader, TEE, SNP
 * and microcode SPLs of the reports' REPORTED_TCB, and hwID = the chip id.
 *
 * <p>A report starts from the real Milan vector ({@code vectors/sev-snp/attestation.bin}, version
 * 2, REPORTED_TCB bootloader 2, TEE 0, SNP 5, microcode 68) with CHIP_ID, REPORT_DATA, MEASUREMENT
 * and the policy's DEBUG bit replaced, and is signed by the chip's VCEK, so it stays a well-formed
 * report. To verify one, give {@link SevSnpVerifier} the VCEK as {@code vcek.der}, the chain as
 * {@code cert_chain.pem} and {@link #root()} as a trust anchor, at a time inside the validity.
 * Thread-safe.
 */
public final class TestSevSnpReports {
  private static final String ARK = "CN=Test ARK-Milan,O=Arca Test";
  private static final String ASK = "CN=Test SEV-Milan,O=Arca Test";
  private static final int POLICY = 0x08;
  private static final int REPORT_DATA = 0x50;
  private static final int MEASUREMENT = 0x90;
  private static final int CHIP_ID = 0x1A0;
  private static final long POLICY_DEBUG = 1L << 19;

  /** The REPORTED_TCB of every report (the real vector's), as its VCEK certifies it. */
  private static final Map<String, Integer> REPORTED_TCB =
      Map.of("bootloader", 2, "tee", 0, "snp", 5, "microcode", 68);

  /**
   * The REPORTED_TCB of every report this class makes (and of the real Milan vector), by component
   * name as in a TCB baseline: {@code bootloader=2, tee=0, snp=5, microcode=68}.
   */
  public static Map<String, Integer> reportedTcb() {
    return REPORTED_TCB;
  }

  /**
   * An SEV-SNP TCB baseline file ({@code snp_tcb_baseline.json}) for Milan requiring {@code
   * minimumTcb} (component names as {@link #reportedTcb()}; written in bootloader, tee, snp,
   * microcode order), valid from {@code issueDate} to {@code nextUpdate}, with {@code reference}
   * unless it is null. For example, {@code baselineJson(reportedTcb(), 2026-01-01, 2026-07-01,
   * "AMD-SB-3019")} is {@code
   * {"product":"Milan","minimumTcb":{"bootloader":2,"tee":0,"snp":5,"microcode":68},"issueDate":"2026-01-01T00:00:00Z","nextUpdate":"2026-07-01T00:00:00Z","reference":"AMD-SB-3019"}},
   * a baseline these reports meet exactly. Written as given, without escaping: {@code reference}
   * must need none, and a component missing from {@code minimumTcb} is written {@code null}.
   */
  public static byte[] baselineJson(
      Map<String, Integer> minimumTcb, Instant issueDate, Instant nextUpdate, String reference) {
    StringBuilder json = new StringBuilder("{\"product\":\"Milan\",\"minimumTcb\":{");
    String sep = "";
    for (String name : TcbVersion.components(Product.MILAN)) {
      json.append(sep).append('"').append(name).append("\":").append(minimumTcb.get(name));
      sep = ",";
    }
    json.append("},\"issueDate\":\"")
        .append(issueDate)
        .append("\",\"nextUpdate\":\"")
        .append(nextUpdate)
        .append('"');
    if (reference != null) {
      json.append(",\"reference\":\"").append(reference).append('"');
    }
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The real vector's CHIP_ID (64 bytes, a fresh copy): a convenient chip id for reports. */
  public static byte[] vectorChipId() {
    return Arrays.copyOfRange(vector(), CHIP_ID, CHIP_ID + 64);
  }

  private final Instant notBefore;
  private final Instant notAfter;
  private final KeyPair askKey = TestPki.p256();
  private final X509Certificate ark;
  private final X509Certificate ask;
  private final Map<String, Vcek> vceks = new ConcurrentHashMap<>();

  private record Vcek(KeyPair key, X509Certificate cert) {}

  /**
   * A test ARK and ASK (and VCEKs made on demand), valid from {@code notBefore} to {@code
   * notAfter}.
   */
  public TestSevSnpReports(Instant notBefore, Instant notAfter) {
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    KeyPair arkKey = TestPki.p256();
    ark = TestPki.cert(ARK, arkKey).ca(true).valid(notBefore, notAfter).build();
    ask = TestPki.cert(ASK, askKey).issuedBy(ARK, arkKey).ca(0).valid(notBefore, notAfter).build();
  }

  /**
   * The test ARK: the root to pin as a trust anchor ({@code
   * VerificationContext.Builder.trustAnchor}).
   */
  public X509Certificate root() {
    return ark;
  }

  /**
   * The ASK then the ARK as PEM, as AMD's {@code cert_chain} is: collateral {@code cert_chain.pem}.
   */
  public byte[] askArkPem() {
    return (pem(ask) + pem(ark)).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The DER VCEK of chip {@code chipId} (64 bytes), made once per chip id: collateral {@code
   * vcek.der}.
   */
  public byte[] vcekDer(byte[] chipId) {
    try {
      return vcek(chipId).cert().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A version 2 report of chip {@code chipId} (64 bytes) binding {@code reportData64} (64 bytes)
   * and measuring {@code measurement48} (48 bytes), signed by that chip's VCEK; its guest policy
   * has the DEBUG bit set exactly when {@code debug}. Everything else is the vector's.
   */
  public byte[] report(byte[] chipId, byte[] reportData64, boolean debug, byte[] measurement48) {
    byte[] report = vector();
    put(report, CHIP_ID, chipId, 64, "chip id");
    put(report, REPORT_DATA, reportData64, 64, "report data");
    put(report, MEASUREMENT, measurement48, 48, "measurement");
    ByteBuffer b = ByteBuffer.wrap(report).order(ByteOrder.LITTLE_ENDIAN);
    long policy = b.getLong(POLICY);
    b.putLong(POLICY, debug ? policy | POLICY_DEBUG : policy & ~POLICY_DEBUG);
    return signedWith(report, vcek(chipId).key());
  }

  private Vcek vcek(byte[] chipId) {
    if (chipId.length != 64) {
      throw new IllegalArgumentException("a chip id has 64 bytes, not " + chipId.length);
    }
    return vceks.computeIfAbsent(
        HexFormat.of().formatHex(chipId),
        id -> {
          KeyPair key = p384();
          X509Certificate cert =
              TestPki.cert("CN=SEV-VCEK,O=Arca Test", key)
                  .issuedBy(ASK, askKey)
                  .valid(notBefore, notAfter)
                  .extension(VcekExtensions.PRODUCT_NAME, der(new DERIA5String("Milan")))
                  .extension(
                      VcekExtensions.BL_SPL, der(new ASN1Integer(REPORTED_TCB.get("bootloader"))))
                  .extension(VcekExtensions.TEE_SPL, der(new ASN1Integer(REPORTED_TCB.get("tee"))))
                  .extension(VcekExtensions.SNP_SPL, der(new ASN1Integer(REPORTED_TCB.get("snp"))))
                  .extension(
                      VcekExtensions.UCODE_SPL, der(new ASN1Integer(REPORTED_TCB.get("microcode"))))
                  .extension(VcekExtensions.HW_ID, chipId)
                  .build();
          return new Vcek(key, cert);
        });
  }

  /** {@code report} with its signature replaced by one made with {@code key} (ECDSA P-384). */
  static byte[] signedWith(byte[] report, KeyPair key) {
    try {
      Signature signer = Signature.getInstance("SHA384withECDSA");
      signer.initSign(key.getPrivate());
      signer.update(report, 0, AttestationReport.SIGNED_LENGTH);
      ASN1Sequence rs = ASN1Sequence.getInstance(signer.sign());
      byte[] out = report.clone();
      for (int i = 0; i < 2; i++) {
        BigInteger v = ASN1Integer.getInstance(rs.getObjectAt(i)).getValue();
        byte[] be = v.toByteArray();
        int at = AttestationReport.SIGNED_LENGTH + 72 * i;
        Arrays.fill(out, at, at + 72, (byte) 0);
        for (int k = 0; k < be.length; k++) {
          out[at + k] = be[be.length - 1 - k]; // little-endian; a leading zero byte lands as zero
        }
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh P-384 key pair, the curve of VCEKs. */
  static KeyPair p384() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The real Milan report (a fresh copy). */
  static byte[] vector() {
    try (InputStream in =
        TestSevSnpReports.class.getResourceAsStream("/vectors/sev-snp/attestation.bin")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(byte[] report, int offset, byte[] value, int length, String what) {
    if (value.length != length) {
      throw new IllegalArgumentException(
          "the " + what + " has " + length + " bytes, not " + value.length);
    }
    System.arraycopy(value, 0, report, offset, length);
  }

  private static byte[] der(org.bouncycastle.asn1.ASN1Object value) {
    try {
      return value.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
