// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** Chain validation on a CA and leaf made in the test (test-made keys, not real evidence). */
class CertificateChainsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private final KeyPair rootKey = ecKey();
  private final KeyPair leafKey = ecKey();
  private final X509Certificate root = cert("CN=Test Root", rootKey, "CN=Test Root", rootKey, true);
  private final X509Certificate leaf = cert("CN=Leaf", leafKey, "CN=Test Root", rootKey, false);

  private static KeyPair ecKey() {
    return TestPki.p256();
  }

  private static X509Certificate cert(
      String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca) {
    return TestPki.cert(subject, subjectKey)
        .issuedBy(issuer, issuerKey)
        .ca(ca)
        .valid(NOW.minusSeconds(86_400), NOW.plusSeconds(86_400))
        .build();
  }

  private static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder().encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static List<String> ids(ThrowingRunnable r) {
    try {
      r.run();
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aValidChainEndsAtItsPinnedRoot() throws Exception {
    assertThat(CertificateChains.validate(List.of(leaf, root), List.of(root), NOW, "t"))
        .isEqualTo(root);
    assertThat(CertificateChains.validate(List.of(leaf), List.of(root), NOW, "t")).isEqualTo(root);
  }

  @Test
  void expiredUntrustedAndNotYetValidHaveTheirIds() {
    assertThat(
            ids(
                () ->
                    CertificateChains.validate(
                        List.of(leaf), List.of(root), NOW.plusSeconds(200_000), "t")))
        .containsExactly("t.chain.expired");
    assertThat(
            ids(
                () ->
                    CertificateChains.validate(
                        List.of(leaf), List.of(root), NOW.minusSeconds(200_000), "t")))
        .containsExactly("t.chain.not-yet-valid");
    X509Certificate other = cert("CN=Other", ecKey(), "CN=Other", ecKey(), true);
    assertThat(ids(() -> CertificateChains.validate(List.of(leaf), List.of(other), NOW, "t")))
        .containsExactly("t.chain.untrusted-root");
  }

  @Test
  void aDamagedLastCertificateCannotShortenTheChain() throws Exception {
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    der.write(leaf.getEncoded());
    byte[] rootDer = root.getEncoded();
    der.write(rootDer, 0, rootDer.length - 7);
    assertThat(ids(() -> CertificateChains.parse(der.toByteArray(), "t")))
        .containsExactly("t.chain.malformed");

    String pem = pem(leaf) + pem(root).replace("MII", "MIX");
    assertThat(ids(() -> CertificateChains.parse(pem.getBytes(UTF_8), "t")))
        .containsExactly("t.chain.malformed");
  }

  @Test
  void parsedInputIsRememberedByAllItsBytesAndMalformedInputIsAlwaysRefused() throws Exception {
    byte[] chainPem = (pem(leaf) + pem(root)).getBytes(UTF_8);
    List<X509Certificate> first = CertificateChains.parse(chainPem, "t");
    assertThat(first).containsExactly(leaf, root);
    assertThat(CertificateChains.parse(chainPem.clone(), "t")).isSameAs(first);
    assertThatThrownBy(() -> first.add(root)).isInstanceOf(UnsupportedOperationException.class);

    // The same chain less its last byte, and with its root damaged: parsed (and refused) anew.
    byte[] shorter = java.util.Arrays.copyOf(chainPem, chainPem.length - 30);
    assertThat(ids(() -> CertificateChains.parse(shorter, "t")))
        .containsExactly("t.chain.malformed");
    String damaged = pem(leaf) + pem(root).replace("MII", "MIX");
    assertThat(ids(() -> CertificateChains.parse(damaged.getBytes(UTF_8), "t")))
        .containsExactly("t.chain.malformed");
    // Other bytes that parse: their own certificates, not the remembered ones.
    assertThat(CertificateChains.parse(leaf.getEncoded(), "t")).containsExactly(leaf);
  }

  @Test
  void anEditedRootInTheChainIsRefusedEvenThoughItsKeyIsPinned() throws Exception {
    byte[] edited = root.getEncoded();
    // Flip a byte of the validity period inside the TBS (the key is untouched).
    byte[] notAfter = root.getTBSCertificate();
    int tbsStart = indexOf(edited, notAfter);
    edited[tbsStart + notAfter.length / 3] ^= 0x01;
    List<String> found =
        ids(
            () -> {
              List<X509Certificate> chain = CertificateChains.parse(edited, "t");
              CertificateChains.validate(List.of(leaf, chain.get(0)), List.of(root), NOW, "t");
            });
    assertThat(found).isNotEmpty();
  }

  @Test
  void nonZeroSignaturePaddingBitsAreRefused() throws Exception {
    byte[] der = leaf.getEncoded();
    // The signature BIT STRING is the last element: 0x03 len 0x00 <sig>. Set its unused-bits byte.
    byte[] sig = leaf.getSignature();
    int sigStart = indexOf(der, sig);
    der[sigStart - 1] = 0x01;
    assertThat(ids(() -> CertificateChains.parse(der, "t"))).containsExactly("t.chain.malformed");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  /** A certificate with explicit basicConstraints (pathLen when >= 0) and optional keyUsage. */
  private static X509Certificate ca(
      String subject,
      KeyPair subjectKey,
      String issuer,
      KeyPair issuerKey,
      Integer pathLen,
      Integer keyUsage) {
    TestPki.Cert c =
        TestPki.cert(subject, subjectKey)
            .issuedBy(issuer, issuerKey)
            .valid(NOW.minusSeconds(86_400), NOW.plusSeconds(86_400));
    c = pathLen == null ? c.ca(true) : c.ca(pathLen);
    return keyUsage == null ? c.build() : c.keyUsage(keyUsage).build();
  }

  @Test
  void aPathLengthConstraintIsHonoured() {
    KeyPair k1 = ecKey();
    KeyPair k2 = ecKey();
    KeyPair rk = ecKey();
    // Root allows no CA below it; the chain has one intermediate.
    X509Certificate strictRoot = ca("CN=Strict Root", rk, "CN=Strict Root", rk, 0, null);
    X509Certificate mid = ca("CN=Mid", k1, "CN=Strict Root", rk, null, null);
    X509Certificate end = cert("CN=End", k2, "CN=Mid", k1, false);
    assertThat(
            ids(
                () ->
                    CertificateChains.validate(
                        List.of(end, mid, strictRoot), List.of(strictRoot), NOW, "t")))
        .containsExactly("t.chain.path-length-exceeded");
    // pathLen 0 on the intermediate itself is fine: only the leaf is below it.
    X509Certificate mid0 = ca("CN=Mid", k1, "CN=Strict Root", rk, 0, null);
    X509Certificate root1 = ca("CN=Strict Root", rk, "CN=Strict Root", rk, 1, null);
    X509Certificate end0 = cert("CN=End", k2, "CN=Mid", k1, false);
    assertThat(
            ids(
                () ->
                    CertificateChains.validate(
                        List.of(end0, mid0, root1), List.of(root1), NOW, "t")))
        .isEmpty();
    // ... but not with a second CA below it.
    KeyPair k3 = ecKey();
    X509Certificate sub = ca("CN=Sub", k3, "CN=Mid", k1, null, null);
    X509Certificate end2 = cert("CN=End2", k2, "CN=Sub", k3, false);
    assertThat(
            ids(
                () ->
                    CertificateChains.validate(
                        List.of(end2, sub, mid0, root1), List.of(root1), NOW, "t")))
        .containsExactly("t.chain.path-length-exceeded");
  }

  @Test
  void anIssuerWhoseKeyUsageLacksKeyCertSignIsRefused() {
    KeyPair k1 = ecKey();
    KeyPair rk = ecKey();
    X509Certificate r = ca("CN=KU Root", rk, "CN=KU Root", rk, null, null);
    X509Certificate signOnly =
        ca("CN=Mid", k1, "CN=KU Root", rk, null, KeyUsage.digitalSignature | KeyUsage.cRLSign);
    X509Certificate end = cert("CN=End", leafKey, "CN=Mid", k1, false);
    assertThat(
            ids(() -> CertificateChains.validate(List.of(end, signOnly, r), List.of(r), NOW, "t")))
        .containsExactly("t.chain.issuer-key-usage");
    X509Certificate certSign =
        ca("CN=Mid", k1, "CN=KU Root", rk, null, KeyUsage.keyCertSign | KeyUsage.cRLSign);
    X509Certificate end2 = cert("CN=End", leafKey, "CN=Mid", k1, false);
    assertThat(
            ids(() -> CertificateChains.validate(List.of(end2, certSign, r), List.of(r), NOW, "t")))
        .isEmpty();
  }

  @Test
  void aRootCopyIsSelfSignedOnlyIfItsOwnKeySignedIt() throws Exception {
    KeyPair own = TestPki.p256();
    X509Certificate selfSigned = TestPki.cert("CN=Carried Root", own).ca(true).build();
    CertificateChains.requireSelfSigned(selfSigned, 2, "p");
    X509Certificate sameNameOtherSigner =
        TestPki.cert("CN=Carried Root", own)
            .issuedBy("CN=Carried Root", TestPki.p256())
            .ca(true)
            .build();
    try {
      CertificateChains.requireSelfSigned(sameNameOtherSigner, 2, "p");
      throw new AssertionError("a root copy not signed by its own key was accepted");
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("p.chain.signature-invalid");
    }
  }
}
