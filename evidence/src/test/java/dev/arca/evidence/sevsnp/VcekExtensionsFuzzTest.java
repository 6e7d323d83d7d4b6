// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import org.bouncycastle.asn1.ASN1IA5String;

/**
 * Fuzzes the VCEK extension value readers ({@link VcekExtensions#spl(byte[], String, String)},
 * {@link VcekExtensions#productName(byte[], String)}) with the content of an extnValue; both read
 * each input. Seeds: the real Milan VCEK's product name and microcode SPL. Only {@code
 * sevsnp.vcek.extension-malformed} may come out.
 */
class VcekExtensionsFuzzTest {
  private static final String PREFIX = "sevsnp.vcek";

  @FuzzTest(maxDuration = "10s")
  void decode(byte[] content) {
    try {
      assertThat(VcekExtensions.spl(content, VcekExtensions.UCODE_SPL, PREFIX)).isBetween(0, 255);
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("sevsnp.vcek.extension-malformed");
    }
    try {
      assertThat(ASN1IA5String.isIA5String(VcekExtensions.productName(content, PREFIX))).isTrue();
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("sevsnp.vcek.extension-malformed");
    }
  }
}
