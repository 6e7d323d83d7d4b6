package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Failures;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
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
}
