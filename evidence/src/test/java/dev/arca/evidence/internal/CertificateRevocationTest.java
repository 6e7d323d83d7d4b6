// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.testing.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Revocation by issuer CRLs supplied as collateral: Intel's real root CA CRL (from the TDX
 * collateral) at and after its validity, and test-made CAs, leaves and lists for each way a list
 * can revoke or be unusable. An unusable list fails the chain instead of being ignored.
 */
class CertificateRevocationTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Path TDX = Path.of("src/test/resources/vectors/tdx");

  private final KeyPair rootKey = ecKey();
  private final KeyPair leafKey = ecKey();
  private final X509Certificate root =
      cert("CN=Maker Root", rootKey, "CN=Maker Root", rootKey, 2, true);
  private final X509Certificate leaf = cert("CN=EK 1", leafKey, "CN=Maker Root", rootKey, 7, false);

  @Test
  void intelsRealRootCrlIsCurrentAtTheCollateralTimeAndNotAfterItsNextUpdate() throws Exception {
    X509Certificate intelRoot =
        CertificateChains.parse(Files.readAllBytes(TDX.resolve("trusted_root.pem")), "tdx").get(0);
    List<X509CRL> crls =
        CertificateRevocation.parse(Files.readAllBytes(TDX.resolve("rootcrl.der")), "root", "t");
    List<X509Certificate> chain =
        CertificateChains.parse(Files.readAllBytes(TDX.resolve("tcbinfo_issuer_chain.pem")), "t");
    CertificateRevocation.check(
        chain, intelRoot, crls, Instant.parse("2023-07-01T00:00:00Z"), "tdx");
    assertThat(
            ids(
                () ->
                    CertificateRevocation.check(
                        chain, intelRoot, crls, Instant.parse("2024-06-01T00:00:00Z"), "tdx")))
        .containsExactly("tdx.crl.not-current");
  }

  @Test
  void aCertificateTheIssuersListNamesIsRevoked() {
    X509CRL crl = crl(rootKey, "CN=Maker Root", NOW, leaf.getSerialNumber());
    assertThat(ids(() -> check(List.of(crl)))).containsExactly("tpm2.ek.chain.revoked");
    X509CRL other = crl(rootKey, "CN=Maker Root", NOW, BigInteger.valueOf(99));
    assertThat(ids(() -> check(List.of(other)))).isEmpty();
  }

  @Test
  void aListSignedByAnotherKeyFailsTheChainRatherThanBeingIgnored() {
    X509CRL forged = crl(ecKey(), "CN=Maker Root", NOW, BigInteger.valueOf(99));
    assertThat(ids(() -> check(List.of(forged)))).containsExactly("tpm2.ek.crl.signature-invalid");
  }

  @Test
  void aStaleOrFutureListFails() {
    X509CRL stale = crl(rootKey, "CN=Maker Root", NOW.minusSeconds(40 * 86_400), BigInteger.TEN);
    assertThat(ids(() -> check(List.of(stale)))).containsExactly("tpm2.ek.crl.not-current");
    X509CRL future = crl(rootKey, "CN=Maker Root", NOW.plusSeconds(86_400), BigInteger.TEN);
    assertThat(ids(() -> check(List.of(future)))).containsExactly("tpm2.ek.crl.not-current");
  }

  @Test
  void anIssuerWhoseKeyUsageLacksCrlSignCannotRevoke() {
    KeyPair k = ecKey();
    X509Certificate noCrlSign = cert("CN=Signer Only", k, "CN=Signer Only", k, 3, true);
    X509Certificate child = cert("CN=EK 2", leafKey, "CN=Signer Only", k, 8, false);
    X509CRL crl = crl(k, "CN=Signer Only", NOW, BigInteger.TEN);
    assertThat(
            ids(
                () ->
                    CertificateRevocation.check(
                        List.of(child), noCrlSign, List.of(crl), NOW, "tpm2.ek")))
        .containsExactly("tpm2.ek.crl.issuer-key-usage");
  }

  @Test
  void crlCollateralIsReadFromFilesNamedDotCrlAndMustParse() throws Exception {
    X509CRL crl = crl(rootKey, "CN=Maker Root", NOW, BigInteger.TEN);
    VerificationContext ctx =
        VerificationContext.expectingNonce(NOW, new byte[] {1})
            .collateral("maker.crl", crl.getEncoded())
            .collateral("vcek.der", new byte[] {1, 2})
            .build();
    assertThat(CertificateRevocation.crls(ctx, "p")).containsExactly(crl);
    VerificationContext bad =
        VerificationContext.expectingNonce(NOW, new byte[] {1})
            .collateral("maker.crl", new byte[] {1, 2, 3})
            .build();
    assertThat(ids(() -> CertificateRevocation.crls(bad, "p"))).containsExactly("p.crl.malformed");
  }

  private void check(List<X509CRL> crls) throws EvidenceException {
    CertificateRevocation.check(List.of(leaf), root, crls, NOW, "tpm2.ek");
  }

  private interface Check {
    void run() throws EvidenceException;
  }

  private static List<String> ids(Check c) {
    try {
      c.run();
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  private static KeyPair ecKey() {
    return TestPki.p256();
  }

  /** A certificate; a CA gets keyUsage keyCertSign, plus cRLSign unless its serial is 3. */
  private static X509Certificate cert(
      String subject, KeyPair key, String issuer, KeyPair issuerKey, long serial, boolean ca) {
    TestPki.Cert c =
        TestPki.cert(subject, key)
            .issuedBy(issuer, issuerKey)
            .serial(serial)
            .ca(ca)
            .valid(NOW.minusSeconds(365 * 86_400L), NOW.plusSeconds(365 * 86_400L));
    return ca
        ? c.keyUsage(KeyUsage.keyCertSign | (serial == 3 ? 0 : KeyUsage.cRLSign)).build()
        : c.build();
  }

  /** A CRL of {@code issuer} valid for 30 days from {@code thisUpdate}, revoking {@code serial}. */
  private static X509CRL crl(KeyPair signer, String issuer, Instant thisUpdate, BigInteger serial) {
    try {
      X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(issuer), Date.from(thisUpdate));
      b.setNextUpdate(Date.from(thisUpdate.plusSeconds(30 * 86_400L)));
      b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
      return new JcaX509CRLConverter()
          .getCRL(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aListWithoutNextUpdateIsNotCurrent() throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name("CN=Maker Root"), Date.from(NOW));
    X509CRL open =
        new JcaX509CRLConverter()
            .getCRL(
                b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
    assertThat(ids(() -> check(List.of(open)))).containsExactly("tpm2.ek.crl.not-current");
  }

  @Test
  void aCrlFileHoldingNoListIsMalformed() {
    VerificationContext empty =
        VerificationContext.expectingNonce(NOW, new byte[] {1})
            .collateral("maker.crl", new byte[0])
            .build();
    assertThat(ids(() -> CertificateRevocation.crls(empty, "p")))
        .containsExactly("p.crl.malformed");
  }
}
