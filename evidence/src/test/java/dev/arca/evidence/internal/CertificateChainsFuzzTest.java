// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes certificate parsing: {@link CertificateChains#parse} (DER or PEM, one or many) and {@link
 * CertificateParseCache#parseOne} (exactly one DER certificate) on the same input. Seeds: the
 * Android TEE chain (PEM) and the Milan VCEK (DER). Only {@code fuzz.chain.malformed} may come out;
 * DER input that parses is exactly the certificates read, and parseOne accepts exactly the inputs
 * that are one certificate's DER.
 */
class CertificateChainsFuzzTest {
  private static final String PREFIX = "fuzz";

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] input) throws CertificateEncodingException {
    List<X509Certificate> certs = null;
    try {
      certs = CertificateChains.parse(input, PREFIX);
      assertThat(certs).isNotEmpty();
      if (!new String(input, StandardCharsets.ISO_8859_1).contains("-----BEGIN")) {
        assertThat(concat(certs)).isEqualTo(input);
      }
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("fuzz.chain.malformed");
    }
    boolean oneDer = certs != null && certs.size() == 1 && Arrays.equals(concat(certs), input);
    try {
      X509Certificate one = CertificateParseCache.parseOne(input, PREFIX);
      assertThat(oneDer).isTrue();
      assertThat(one).isEqualTo(certs.get(0));
    } catch (EvidenceException e) {
      assertThat(oneDer).isFalse();
      assertThat(e.ids()).containsExactly("fuzz.chain.malformed");
    }
  }

  private static byte[] concat(List<X509Certificate> certs) throws CertificateEncodingException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (X509Certificate c : certs) {
      out.writeBytes(c.getEncoded());
    }
    return out.toByteArray();
  }
}
