// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.testing.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The AMD extensions of a VCEK: the real Milan VCEK, and test-made certificates whose extension
 * breaks one rule of AMD's VCEK certificate profile each.
 */
class VcekExtensionsTest {
  private static final String PREFIX = "sevsnp.vcek";
  private static final KeyPair KEY = TestPki.p256();

  @Test
  void theRealVcekCarriesItsProductTcbAndChip() throws Exception {
    X509Certificate vcek = CertificateChains.parse(SevSnpVerifierTest.VCEK, PREFIX).get(0);

    assertThat(VcekExtensions.productName(vcek, PREFIX)).contains("Milan-B0");
    assertThat(VcekExtensions.spl(vcek, VcekExtensions.BL_SPL, PREFIX)).isEqualTo(2);
    assertThat(VcekExtensions.spl(vcek, VcekExtensions.SNP_SPL, PREFIX)).isEqualTo(5);
    assertThat(VcekExtensions.spl(vcek, VcekExtensions.UCODE_SPL, PREFIX)).isEqualTo(0x44);
    assertThat(VcekExtensions.spl(vcek, VcekExtensions.FMC_SPL, PREFIX)).isEqualTo(-1);
    assertThat(VcekExtensions.hwId(vcek, PREFIX)).get().satisfies(h -> assertThat(h).hasSize(64));
  }

  @Test
  void aProductNameThatIsNotAnIa5StringIsRefused() {
    // Not a string at all: must not read as "no product name" (which falls back to the issuer).
    assertProductNameRefused("020105");
    // A UTF8String "Milan-B0": the profile says IA5String.
    assertProductNameRefused("0c084d696c616e2d4230");
  }

  @Test
  void anSplIsAOneByteDerInteger() throws Exception {
    X509Certificate max = vcek(VcekExtensions.SNP_SPL, "020200ff"); // 255 needs its leading zero
    assertThat(VcekExtensions.spl(max, VcekExtensions.SNP_SPL, PREFIX)).isEqualTo(255);
    assertSplRefused("02020005"); // 5 with a needless leading zero: not DER
    assertSplRefused("02810105"); // 5 with a long-form length: not DER
    assertSplRefused("02020100"); // 256
    assertSplRefused("0201ff"); // -1
    assertSplRefused("0a0105"); // ENUMERATED
    assertSplRefused("02010500"); // a byte after the INTEGER
  }

  @Test
  void anEmptyExtensionValueIsMalformed() {
    // Found by VcekExtensionsFuzzTest: this was a NullPointerException escaping the verifier.
    assertSplRefused("");
    assertProductNameRefused("");
  }

  @Test
  void aProductNameIsDer() {
    // IA5String "Milan-B0" with a long-form length.
    assertProductNameRefused("1681084d696c616e2d4230");
  }

  private static X509Certificate vcek(String oid, String valueHex) {
    return TestPki.cert("CN=Test VCEK", KEY)
        .extension(oid, HexFormat.of().parseHex(valueHex))
        .build();
  }

  private static void assertProductNameRefused(String valueHex) {
    X509Certificate cert = vcek(VcekExtensions.PRODUCT_NAME, valueHex);
    assertThatThrownBy(() -> VcekExtensions.productName(cert, PREFIX))
        .as(valueHex)
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("sevsnp.vcek.extension-malformed"));
  }

  private static void assertSplRefused(String valueHex) {
    X509Certificate cert = vcek(VcekExtensions.SNP_SPL, valueHex);
    assertThatThrownBy(() -> VcekExtensions.spl(cert, VcekExtensions.SNP_SPL, PREFIX))
        .as(valueHex)
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("sevsnp.vcek.extension-malformed"));
  }
}
