// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Failures;
import dev.arca.evidence.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * A revoked PCK. Intel's real PCK CRL does not list the vector's PCK, and a CRL signed by Intel's
 * CA cannot be made, so this test generates its own CA, leaf and CRL (a test CA standing in for the
 * PCK Platform CA) and runs the same revocation check the verifier runs.
 */
class PckRevocationTest {
  private static final Instant NOW = Instant.parse("2023-07-01T00:00:00Z");

  @Test
  void aListedPckIsRevokedAndAStaleCrlExpired() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair caKey = g.generateKeyPair();
    KeyPair leafKey = g.generateKeyPair();
    X500Name caName = new X500Name("CN=Test PCK Platform CA");
    Date from = Date.from(NOW.minusSeconds(86400));
    Date to = Date.from(NOW.plusSeconds(86400 * 365));
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
    X509Certificate ca =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        caName, BigInteger.ONE, from, to, caName, caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .build(signer));
    X509Certificate leaf =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        caName,
                        new BigInteger("bba6c175d838b8df3900cc3411f24f512d104102", 16),
                        from,
                        to,
                        new X500Name("CN=Test PCK Certificate"),
                        leafKey.getPublic())
                    .build(signer));
    X509v2CRLBuilder crl = new X509v2CRLBuilder(caName, from);
    crl.setNextUpdate(Date.from(NOW.plusSeconds(86400 * 30)));
    crl.addCRLEntry(leaf.getSerialNumber(), from, CRLReason.keyCompromise);
    X509CRL x509Crl = new JcaX509CRLConverter().getCRL(crl.build(signer));

    Failures f = new Failures();
    PckRevocation.check(leaf, ca, x509Crl, NOW, "tdx.pck-crl", "tdx.pck.revoked", f);
    assertThatThrownBy(f::throwIfAny)
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly("tdx.pck.revoked"));

    Failures late = new Failures();
    PckRevocation.check(
        ca, ca, x509Crl, NOW.plusSeconds(86400 * 60), "tdx.pck-crl", "tdx.pck.revoked", late);
    assertThatThrownBy(late::throwIfAny)
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tdx.pck-crl.expired"));
  }

  private static final String CA_NAME = "CN=Test PCK Platform CA";
  private final KeyPair caKey = TestPki.p256();
  private final X509Certificate ca =
      TestPki.cert(CA_NAME, caKey)
          .ca(0)
          .valid(NOW.minusSeconds(86400), NOW.plusSeconds(86400))
          .build();
  private final X509Certificate leaf =
      TestPki.cert("CN=Test PCK Certificate", TestPki.p256())
          .issuedBy(CA_NAME, caKey)
          .serial(42)
          .build();

  /** A CRL by {@code issuer} with {@code key}, issued at {@code thisUpdate}, listing nothing. */
  private static X509CRL crl(String issuer, KeyPair key, Instant thisUpdate, Instant nextUpdate)
      throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(issuer), Date.from(thisUpdate));
    if (nextUpdate != null) {
      b.setNextUpdate(Date.from(nextUpdate));
    }
    return new JcaX509CRLConverter()
        .getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }

  private X509CRL currentCrl() throws Exception {
    return crl(CA_NAME, caKey, NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  }

  private List<String> ids(X509CRL crl, Instant at) {
    Failures f = new Failures();
    PckRevocation.check(leaf, ca, crl, at, "tdx.pck-crl", "tdx.pck.revoked", f);
    try {
      f.throwIfAny();
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void aCurrentCrlOfTheIssuerNotListingThePckPasses() throws Exception {
    assertThat(ids(PckRevocation.parse(currentCrl().getEncoded(), "tdx.pck-crl"), NOW)).isEmpty();
  }

  @Test
  void aCrlFromAnotherIssuerIsRefused() throws Exception {
    X509CRL other = crl("CN=Other CA", caKey, NOW.minusSeconds(3600), NOW.plusSeconds(86400));
    assertThat(ids(other, NOW)).containsExactly("tdx.pck-crl.issuer-mismatch");
  }

  @Test
  void aCrlWithTheIssuersNameButAnotherKeyIsRefused() throws Exception {
    X509CRL forged = crl(CA_NAME, TestPki.p256(), NOW.minusSeconds(3600), NOW.plusSeconds(86400));
    assertThat(ids(forged, NOW)).containsExactly("tdx.pck-crl.signature-invalid");
  }

  @Test
  void aCrlIssuedAfterTheCheckTimeIsNotYetValid() throws Exception {
    X509CRL early = crl(CA_NAME, caKey, NOW.plusSeconds(60), NOW.plusSeconds(86400));
    assertThat(ids(early, NOW)).containsExactly("tdx.pck-crl.not-yet-valid");
  }

  @Test
  void aCrlWithoutNextUpdateCountsAsExpired() throws Exception {
    X509CRL open = crl(CA_NAME, caKey, NOW.minusSeconds(3600), null);
    assertThat(ids(open, NOW)).containsExactly("tdx.pck-crl.expired");
  }

  @Test
  void anEmptyCrlIsMalformed() {
    assertThatThrownBy(() -> PckRevocation.parse(new byte[0], "tdx.pck-crl"))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> {
              assertThat(e.ids()).containsExactly("tdx.pck-crl.malformed");
              assertThat(e.getMessage()).contains("the CRL is empty");
            });
  }

  @Test
  void aCrlSignatureWithUnusedBitsIsMalformed() throws Exception {
    byte[] der = currentCrl().getEncoded();
    // The signature BIT STRING is the last element: tag 03, length, unused-bits count 00.
    int bitString = lastBitString(der);
    assertThat(der[bitString + 2]).isZero();
    der[bitString + 2] = 1;
    assertThatThrownBy(() -> PckRevocation.parse(der, "tdx.pck-crl"))
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.getMessage()).contains("unused bits"));
  }

  /** Offset of the signature BIT STRING (short length form, as for an ECDSA P-256 signature). */
  private static int lastBitString(byte[] der) {
    for (int i = der.length - 2; i >= 0; i--) {
      if (der[i] == 0x03 && (der[i + 1] & 0xff) == der.length - i - 2) {
        return i;
      }
    }
    throw new AssertionError("no signature BIT STRING");
  }
}
