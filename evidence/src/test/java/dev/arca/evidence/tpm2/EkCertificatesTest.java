package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.EvidenceException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The TCG EK Credential Profile checks on EK certificates made in the test (the real swtpm-localca
 * EK chain is checked in {@link Tpm2SwtpmTest}).
 */
class EkCertificatesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final KeyPurposeId TCG_KP_EK =
      KeyPurposeId.getInstance(new ASN1ObjectIdentifier(EkCertificates.TCG_KP_EK_CERTIFICATE));
  private static final KeyPair CA = key("EC");

  private static KeyPair key(String alg) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
      if (alg.equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate ek(
      KeyPair subject, boolean ca, Integer keyUsage, KeyPurposeId... eku) throws Exception {
    var b =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=Test EK CA"),
            BigInteger.valueOf(System.nanoTime()),
            Date.from(NOW.minusSeconds(86_400)),
            Date.from(NOW.plusSeconds(86_400)),
            new X500Name("CN=Test EK"),
            subject.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (keyUsage != null) {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    }
    if (eku.length > 0) {
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.getPrivate())));
  }

  private static List<String> ids(X509Certificate c) {
    try {
      EkCertificates.requireEkProfile(c);
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void profileConformingRsaAndEccEkCertificatesPass() throws Exception {
    assertThat(ids(ek(key("RSA"), false, KeyUsage.keyEncipherment, TCG_KP_EK))).isEmpty();
    assertThat(ids(ek(key("EC"), false, KeyUsage.keyAgreement, TCG_KP_EK))).isEmpty();
    // Both extensions are optional in the profile.
    assertThat(ids(ek(key("RSA"), false, null))).isEmpty();
  }

  @Test
  void aCaCertificateIsNotAnEkCertificate() throws Exception {
    assertThat(ids(ek(key("RSA"), true, KeyUsage.keyEncipherment, TCG_KP_EK)))
        .containsExactly("tpm2.ek.profile.ca");
  }

  @Test
  void anExtendedKeyUsageWithoutTcgKpEkCertificateIsRefused() throws Exception {
    assertThat(
            ids(
                ek(
                    key("RSA"),
                    false,
                    KeyUsage.keyEncipherment,
                    KeyPurposeId.id_kp_serverAuth,
                    KeyPurposeId.id_kp_clientAuth)))
        .containsExactly("tpm2.ek.profile.extended-key-usage");
  }

  @Test
  void theKeyUsageMustFitTheEkAlgorithm() throws Exception {
    assertThat(ids(ek(key("RSA"), false, KeyUsage.digitalSignature, TCG_KP_EK)))
        .containsExactly("tpm2.ek.profile.key-usage");
    assertThat(ids(ek(key("EC"), false, KeyUsage.keyEncipherment, TCG_KP_EK)))
        .containsExactly("tpm2.ek.profile.key-usage");
    assertThat(ids(ek(key("RSA"), false, KeyUsage.keyAgreement, TCG_KP_EK)))
        .containsExactly("tpm2.ek.profile.key-usage");
  }
}
