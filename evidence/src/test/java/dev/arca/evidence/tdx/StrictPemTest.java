// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical PEM chains: the vector's PCK chain, and what must not read as a chain. */
class StrictPemTest {
  private static final String ID = "test.pem.malformed";

  private static byte[] pckChain() throws EvidenceException {
    return TdxQuote.parse(TdxVerifierTest.QUOTE).pckChain();
  }

  private static String block(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getEncoder().encodeToString(der)
        + "-----END CERTIFICATE-----\n";
  }

  @Test
  void theVectorsPckChainReadsAsThreeCertificates() throws Exception {
    List<X509Certificate> chain = StrictPem.certificates(pckChain(), ID);
    assertThat(chain).hasSize(3);
    assertThat(chain.get(2).getSubjectX500Principal().getName()).contains("Intel SGX Root CA");
  }

  @Test
  void aBlockHoldsExactlyOneCertificate() throws Exception {
    List<X509Certificate> chain = StrictPem.certificates(pckChain(), ID);
    // The PCK and its CA in one block: reading only the first would drop bytes unnoticed.
    byte[] both = new byte[chain.get(0).getEncoded().length + chain.get(1).getEncoded().length];
    System.arraycopy(chain.get(0).getEncoded(), 0, both, 0, chain.get(0).getEncoded().length);
    System.arraycopy(
        chain.get(1).getEncoded(),
        0,
        both,
        chain.get(0).getEncoded().length,
        chain.get(1).getEncoded().length);
    assertRefused(
        (block(both) + block(chain.get(2).getEncoded())).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aBlockThatIsNotACertificateFailsWithTheCallersId() {
    assertRefused(
        block(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}).getBytes(StandardCharsets.US_ASCII));
  }

  private static void assertRefused(byte[] pem) {
    assertThatThrownBy(() -> StrictPem.certificates(pem, ID))
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly(ID));
  }
}
