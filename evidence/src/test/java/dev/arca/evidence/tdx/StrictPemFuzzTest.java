// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the canonical PEM reader ({@link StrictPem}) that reads the PCK chain inside a TDX quote
 * and the collateral's issuer chains. Seeds: the vector quote's PCK chain and the TCB info issuer
 * chain. Only the caller's id may come out; a chain that reads is, but for newlines and trailing
 * NUL bytes, exactly the canonical PEM of the certificates read (so no other bytes read as it).
 */
class StrictPemFuzzTest {
  private static final String ID = "fuzz.pem.malformed";

  @FuzzTest(maxDuration = "10s")
  void certificates(byte[] pem) throws CertificateEncodingException {
    List<X509Certificate> chain;
    try {
      chain = StrictPem.certificates(pem, ID);
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly(ID);
      return;
    }
    StringBuilder canonical = new StringBuilder();
    for (X509Certificate c : chain) {
      canonical
          .append("-----BEGIN CERTIFICATE-----")
          .append(Base64.getEncoder().encodeToString(c.getEncoded()))
          .append("-----END CERTIFICATE-----");
    }
    String text = new String(pem, StandardCharsets.ISO_8859_1);
    assertThat(text.replaceAll("[\\r\\n]", "").replaceAll("\\x00+$", ""))
        .isEqualTo(canonical.toString());
  }
}
