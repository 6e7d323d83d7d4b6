// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
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

  @Test
  void theKeyUsageRefusalNamesTheBitTheAlgorithmNeeds() throws Exception {
    assertThatThrownBy(
            () ->
                EkCertificates.requireEkProfile(
                    ek(key("RSA"), false, KeyUsage.digitalSignature, TCG_KP_EK)))
        .hasMessageContaining("RSA EK certificate's keyUsage lacks keyEncipherment");
    assertThatThrownBy(
            () ->
                EkCertificates.requireEkProfile(
                    ek(key("EC"), false, KeyUsage.digitalSignature, TCG_KP_EK)))
        .hasMessageContaining("EC EK certificate's keyUsage lacks keyAgreement");
  }

  @Test
  void anEkCertificateFileWithTwoCertificatesIsMalformed() throws Exception {
    byte[] one = ek(key("EC"), false, KeyUsage.keyAgreement, TCG_KP_EK).getEncoded();
    byte[] two = new byte[one.length * 2];
    System.arraycopy(one, 0, two, 0, one.length);
    System.arraycopy(one, 0, two, one.length, one.length);
    assertThatThrownBy(() -> EkCertificates.verifyChain(two, new byte[0], List.of(), NOW))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tpm2.ek.chain.malformed"));
  }

  /** The self-signed CA that issues {@link #ek}'s certificates, as a manufacturer root. */
  private static final X509Certificate ROOT =
      dev.arca.evidence.testing.TestPki.cert("CN=Test EK CA", CA).ca(true).build();

  private static List<String> chainIds(byte[] ek, List<java.security.cert.X509CRL> crls) {
    try {
      EkCertificates.verifyChain(ek, new byte[0], List.of(ROOT), NOW, crls);
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  /** A CRL of the test CA, current at {@link #NOW}, revoking {@code serial}. */
  private static java.security.cert.X509CRL crlRevoking(BigInteger serial) throws Exception {
    var b =
        new org.bouncycastle.cert.X509v2CRLBuilder(
            new X500Name("CN=Test EK CA"), Date.from(NOW.minusSeconds(3_600)));
    b.setNextUpdate(Date.from(NOW.plusSeconds(86_400)));
    b.addCRLEntry(
        serial,
        Date.from(NOW.minusSeconds(3_600)),
        org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
    return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter()
        .getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.getPrivate())));
  }

  @Test
  void anEkCertificateIssuedByTheRootItselfNeedsNoIntermediates() throws Exception {
    X509Certificate ek = ek(key("EC"), false, KeyUsage.keyAgreement, TCG_KP_EK);
    assertThat(EkCertificates.verifyChain(ek.getEncoded(), new byte[0], List.of(ROOT), NOW))
        .isEqualTo(ek);
  }

  @Test
  void aCaCertificateIsNotAnEkCertificateThroughVerifyChainEvenWithPathLengthZero() {
    // pathLenConstraint 0: a CA that may issue only end entities is still a CA.
    X509Certificate ca =
        dev.arca.evidence.testing.TestPki.cert("CN=Test EK", key("EC"))
            .issuedBy("CN=Test EK CA", CA)
            .ca(0)
            .valid(NOW.minusSeconds(86_400), NOW.plusSeconds(86_400))
            .build();
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(chainIds(encoded(ca), List.of())).containsExactly("tpm2.ek.profile.ca");
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEkCertificateOnTheManufacturersCrlIsRevoked() throws Exception {
    X509Certificate ek = ek(key("EC"), false, KeyUsage.keyAgreement, TCG_KP_EK);
    assertThat(chainIds(ek.getEncoded(), List.of(crlRevoking(ek.getSerialNumber()))))
        .containsExactly("tpm2.ek.chain.revoked");
    // The control: the same list naming another serial leaves the chain valid.
    assertThat(
            chainIds(
                ek.getEncoded(), List.of(crlRevoking(ek.getSerialNumber().add(BigInteger.ONE)))))
        .isEmpty();
  }

  /** A TPMT_PUBLIC for a P-256 key: ECC, SHA-256 name, no policy, NULL schemes, x and y. */
  private static TpmtPublic eccPublic(ECPublicKey k) throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(HexFormat.of().parseHex("0023" + "000b" + "00000000" + "0000"));
    b.writeBytes(HexFormat.of().parseHex("0010" + "0010" + "0003" + "0010"));
    for (BigInteger v : List.of(k.getW().getAffineX(), k.getW().getAffineY())) {
      byte[] raw = v.toByteArray();
      byte[] fixed = new byte[32];
      int n = Math.min(raw.length, 32);
      System.arraycopy(raw, raw.length - n, fixed, 32 - n, n);
      b.writeBytes(HexFormat.of().parseHex("0020"));
      b.writeBytes(fixed);
    }
    return TpmtPublic.parse(b.toByteArray());
  }

  private static List<String> sameKeyIds(X509Certificate cert, TpmtPublic ek) {
    try {
      EkCertificates.requireSameKey(cert, ek);
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void anEccEkCertificateMustCertifyTheTpmsOwnPoint() throws Exception {
    KeyPair ek = key("EC");
    TpmtPublic tpm = eccPublic((ECPublicKey) ek.getPublic());
    assertThat(sameKeyIds(ek(ek, false, KeyUsage.keyAgreement, TCG_KP_EK), tpm)).isEmpty();
    assertThat(sameKeyIds(ek(key("EC"), false, KeyUsage.keyAgreement, TCG_KP_EK), tpm))
        .containsExactly("tpm2.ek.key-mismatch");
    assertThat(sameKeyIds(ek(key("RSA"), false, KeyUsage.keyEncipherment, TCG_KP_EK), tpm))
        .containsExactly("tpm2.ek.key-mismatch");
  }

  @Test
  void anRsaEkCertificateMustCertifyTheTpmsOwnModulus() throws Exception {
    TpmtPublic tpm =
        TpmtPublic.parse(
            EkCertificatesTest.class
                .getResourceAsStream("/vectors/tpm/ak_tpmt_public.bin")
                .readAllBytes());
    KeyPair same = new KeyPair(tpm.toPublicKey(), null);
    assertThat(sameKeyIds(ek(same, false, KeyUsage.keyEncipherment, TCG_KP_EK), tpm)).isEmpty();
    assertThat(sameKeyIds(ek(key("RSA"), false, KeyUsage.keyEncipherment, TCG_KP_EK), tpm))
        .containsExactly("tpm2.ek.key-mismatch");
  }
}
