// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.testing.TestPki;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

/**
 * TCB info and QE identity must be signed by the Intel SGX TCB Signing certificate itself (issued
 * directly by the root), not by any leaf under the root such as a PCK certificate. The real
 * collateral passes; the same JSON re-signed by test certificates under a test root (added to the
 * pinned Intel root, so the quote's own PCK chain still verifies) shows which signers are refused.
 */
class TdxCollateralSignerTest {
  private static final Instant AT = TdxVerifierTest.AT;
  private static final Instant NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2030-01-01T00:00:00Z");

  private final TdxVerifier verifier = new TdxVerifier();
  private final Issued root = Issued.root("CN=Test SGX Root CA,O=Arca Test");

  /** A certificate and its key pair. */
  record Issued(X509Certificate cert, KeyPair keys) {
    static Issued root(String dn) {
      KeyPair kp = p256();
      return new Issued(certificate(dn, new X500Name(dn), kp, kp, true), kp);
    }

    Issued issue(String dn, boolean ca) {
      KeyPair kp = p256();
      X500Name issuer = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
      return new Issued(certificate(dn, issuer, kp, keys, ca), kp);
    }
  }

  private static KeyPair p256() {
    return TestPki.p256();
  }

  private static X509Certificate certificate(
      String subject, X500Name issuer, KeyPair key, KeyPair signer, boolean ca) {
    return TestPki.cert(subject, key)
        .issuedBy(issuer, signer)
        .ca(ca)
        .valid(NOT_BEFORE, NOT_AFTER)
        .build();
  }

  static byte[] pem(Issued... chain) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      for (Issued c : chain) {
        p.writeObject(c.cert());
      }
    }
    return w.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The collateral JSON with its body unchanged and its signature made by {@code signer}. */
  static byte[] resign(byte[] json, String bodyField, PrivateKey signer) throws Exception {
    byte[] body = SignedJson.parse(json, bodyField, "test").signedBytes();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer);
    s.update(body);
    ASN1Sequence der = ASN1Sequence.getInstance(s.sign());
    byte[] raw = new byte[64];
    copy32(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0);
    copy32(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, 32);
    String text = new String(json, StandardCharsets.UTF_8);
    String old = HexFormat.of().formatHex(SignedJson.parse(json, bodyField, "test").signature());
    assertThat(text).containsOnlyOnce(old);
    return text.replace(old, HexFormat.of().formatHex(raw)).getBytes(StandardCharsets.UTF_8);
  }

  private static void copy32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
  }

  private List<String> ids(Map<String, byte[]> replaced) {
    Map<String, byte[]> collateral = TdxVerifierTest.collateral();
    collateral.putAll(replaced);
    VerificationContext ctx =
        TdxVerifierTest.context(AT, collateral).trustAnchor(root.cert()).build();
    try {
      verifier.verify(TdxVerifierTest.QUOTE, ctx);
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  private Map<String, byte[]> tcbInfoSignedBy(Issued signer, Issued... chain) throws Exception {
    byte[] json = TdxVerifierTest.resource("sample_tcbInfo_response");
    return Map.of(
        "sample_tcbInfo_response",
        resign(json, "tcbInfo", signer.keys().getPrivate()),
        "tcbinfo_issuer_chain.pem",
        pem(chain));
  }

  private Map<String, byte[]> qeIdentitySignedBy(Issued signer, Issued... chain) throws Exception {
    byte[] json = TdxVerifierTest.resource("sample_qeIdentity_response");
    return Map.of(
        "sample_qeIdentity_response",
        resign(json, "enclaveIdentity", signer.keys().getPrivate()),
        "qeidentity_issuer_chain.pem",
        pem(chain));
  }

  @Test
  void theRealCollateralIsSignedByIntelsTcbSigningCertificate() throws Exception {
    assertThat(ids(Map.of())).isEmpty();
    X509Certificate intelSigner =
        StrictPem.certificates(TdxVerifierTest.resource("tcbinfo_issuer_chain.pem"), "test").get(0);
    X509Certificate intelRoot =
        CertificateChains.parse(TdxVerifierTest.resource("trusted_root.pem"), "test").get(0);
    assertThat(TdxVerifier.notTcbSigning(intelSigner, List.of(intelRoot))).isNull();
    // The same certificate is refused when its issuer is not a trust anchor.
    assertThat(TdxVerifier.notTcbSigning(intelSigner, List.of(root.cert())))
        .contains("not issued directly by a trusted root");
  }

  @Test
  void aTcbSigningCertificateIssuedByTheRootIsAccepted() throws Exception {
    // The control: the test root and re-signing alone do not cause the refusals below.
    Issued tcbSigning = root.issue("CN=Intel SGX TCB Signing,O=Arca Test", false);
    assertThat(ids(tcbInfoSignedBy(tcbSigning, tcbSigning, root))).isEmpty();
    assertThat(ids(qeIdentitySignedBy(tcbSigning, tcbSigning, root))).isEmpty();
  }

  @Test
  void collateralSignedByAPckCertificateUnderTheRootIsRefused() throws Exception {
    Issued platformCa = root.issue("CN=Intel SGX PCK Platform CA,O=Arca Test", true);
    Issued pck = platformCa.issue("CN=Intel SGX PCK Certificate,O=Arca Test", false);
    assertThat(ids(tcbInfoSignedBy(pck, pck, platformCa, root)))
        .containsExactly("tdx.tcb-info.signer-not-tcb-signing");
    assertThat(ids(qeIdentitySignedBy(pck, pck, platformCa, root)))
        .containsExactly("tdx.qe-identity.signer-not-tcb-signing");
  }

  @Test
  void aLeafDirectlyUnderTheRootWithAnotherNameIsRefused() throws Exception {
    Issued other = root.issue("CN=Intel SGX PCK Certificate,O=Arca Test", false);
    assertThat(ids(tcbInfoSignedBy(other, other, root)))
        .containsExactly("tdx.tcb-info.signer-not-tcb-signing");
  }

  @Test
  void theTcbSigningNameUnderAnIntermediateIsRefused() throws Exception {
    Issued intermediate = root.issue("CN=Some Intermediate CA,O=Arca Test", true);
    Issued signer = intermediate.issue("CN=Intel SGX TCB Signing,O=Arca Test", false);
    assertThat(ids(tcbInfoSignedBy(signer, signer, intermediate, root)))
        .containsExactly("tdx.tcb-info.signer-not-tcb-signing");
  }

  @Test
  void aCaNamedTcbSigningIsRefused() throws Exception {
    Issued caSigner = root.issue("CN=Intel SGX TCB Signing,O=Arca Test", true);
    assertThat(ids(tcbInfoSignedBy(caSigner, caSigner, root)))
        .containsExactly("tdx.tcb-info.signer-not-tcb-signing");
  }

  @Test
  void theRefusalSaysWhyTheSignerIsNotTheTcbSigningCertificate() {
    Issued other = root.issue("CN=Intel SGX PCK Certificate,O=Arca Test", false);
    assertThat(TdxVerifier.notTcbSigning(other.cert(), List.of(root.cert())))
        .contains("subject CN is [Intel SGX PCK Certificate]");
    Issued ca = root.issue("CN=Intel SGX TCB Signing,O=Arca Test", true);
    assertThat(TdxVerifier.notTcbSigning(ca.cert(), List.of(root.cert())))
        .isEqualTo("it is a CA certificate");
  }

  @Test
  void aCaWithPathLengthZeroNamedTcbSigningIsRefused() {
    // getBasicConstraints() is 0 for such a CA: still a CA.
    KeyPair kp = p256();
    X509Certificate signer =
        TestPki.cert("CN=Intel SGX TCB Signing,O=Arca Test", kp)
            .issuedBy(
                X500Name.getInstance(root.cert().getSubjectX500Principal().getEncoded()),
                root.keys())
            .ca(0)
            .build();
    assertThat(TdxVerifier.notTcbSigning(signer, List.of(root.cert())))
        .isEqualTo("it is a CA certificate");
  }

  @Test
  void anAnchorWithTheIssuersKeyButAnotherNameDoesNotVouchForTheSigner() {
    Issued signer = root.issue("CN=Intel SGX TCB Signing,O=Arca Test", false);
    X509Certificate renamed =
        TestPki.cert("CN=Another Root,O=Arca Test", root.keys()).ca(true).build();
    assertThat(TdxVerifier.notTcbSigning(signer.cert(), List.of(renamed)))
        .contains("not issued directly by a trusted root");
  }

  @Test
  void anAnchorWithTheIssuersNameButAnotherKeyDoesNotVouchForTheSigner() {
    Issued signer = root.issue("CN=Intel SGX TCB Signing,O=Arca Test", false);
    Issued impostor = Issued.root("CN=Test SGX Root CA,O=Arca Test");
    assertThat(TdxVerifier.notTcbSigning(signer.cert(), List.of(impostor.cert())))
        .contains("not issued directly by a trusted root");
    assertThat(TdxVerifier.notTcbSigning(signer.cert(), List.of(impostor.cert(), root.cert())))
        .isNull();
  }
}
