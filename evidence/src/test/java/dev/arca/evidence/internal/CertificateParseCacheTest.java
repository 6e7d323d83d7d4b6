// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A certificate field holds exactly one DER certificate (test-made certificates). */
class CertificateParseCacheTest {
  private final X509Certificate cert = TestPki.cert("CN=One", TestPki.p256()).build();

  @Test
  void oneDerCertificateParsesAndIsRemembered() throws Exception {
    X509Certificate parsed = CertificateParseCache.parseOne(cert.getEncoded(), "t");
    assertThat(parsed).isEqualTo(cert);
    assertThat(CertificateParseCache.parseOne(cert.getEncoded(), "t")).isSameAs(parsed);
  }

  @Test
  void twoCertificatesAreRefused() throws Exception {
    byte[] der = cert.getEncoded();
    byte[] two = new byte[der.length * 2];
    System.arraycopy(der, 0, two, 0, der.length);
    System.arraycopy(der, 0, two, der.length, der.length);
    assertRefused(two);
  }

  @Test
  void aPemCertificateIsNotDer() throws Exception {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    assertRefused(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static void assertRefused(byte[] field) {
    assertThatThrownBy(() -> CertificateParseCache.parseOne(field, "t"))
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly("t.chain.malformed"));
  }
}
