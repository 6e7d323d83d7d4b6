// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.tpm.Tpm2Tools;
import dev.arca.tpm.TpmObject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real swtpm, manufactured and started by {@link Swtpm}: its EK certificate chains to its local
 * CA, and closing it leaves no process or file. Skips, naming the tools, when they are not
 * installed (fails instead with {@code ARCA_REQUIRE_SWTPM=true}).
 */
class SwtpmTest {
  private static Swtpm tpm;

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
  }

  @AfterAll
  static void stop() {
    if (tpm != null) {
      tpm.close();
    }
  }

  @Test
  void ekCertificateChainsToTheLocalCa() throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate ek =
        (X509Certificate)
            cf.generateCertificate(
                new ByteArrayInputStream(tpm.tools().nvRead(Tpm2Tools.EK_CERT_RSA_2048)));
    X509Certificate issuer =
        (X509Certificate) cf.generateCertificate(Files.newInputStream(tpm.issuerCertificate()));
    X509Certificate root =
        (X509Certificate) cf.generateCertificate(Files.newInputStream(tpm.localCaCertificate()));
    ek.verify(issuer.getPublicKey());
    issuer.verify(root.getPublicKey());
    root.verify(root.getPublicKey());
    // The certified key is the one tpm2_createek derives from the default RSA template.
    TpmObject ekObject = tpm.tools().createEk(Tpm2Tools.KeyType.RSA);
    byte[] modulus =
        ((java.security.interfaces.RSAPublicKey) ek.getPublicKey()).getModulus().toByteArray();
    byte[] unsigned = modulus[0] == 0 ? Arrays.copyOfRange(modulus, 1, modulus.length) : modulus;
    byte[] area = ekObject.publicArea();
    byte[] tail = Arrays.copyOfRange(area, area.length - 256, area.length);
    assertThat(tail).isEqualTo(unsigned);
  }

  @Test
  void closeStopsTheProcessAndDeletesItsFiles() throws Exception {
    Path dir;
    Swtpm other = Swtpm.start();
    try (other) {
      dir = other.localCaCertificate().getParent().getParent();
      assertThat(other.isRunning()).isTrue();
      assertThat(other.port()).isNotEqualTo(tpm.port());
      assertThat(other.tools().pcrRead("sha1", List.of(0)).get(0)).hasSize(20);
    }
    assertThat(other.isRunning()).isFalse();
    assertThat(dir).doesNotExist();
  }
}
