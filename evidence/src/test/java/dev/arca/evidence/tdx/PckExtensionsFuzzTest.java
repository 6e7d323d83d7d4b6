// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import java.util.Arrays;

/**
 * Fuzzes the PCK certificate's SGX extension reader ({@link PckExtensions#parse}), which the TDX
 * verifier runs even on a PCK whose chain failed. Seed: the extension of the vector's PCK. Only
 * {@code tdx.pck.extension-malformed} may come out, and what parses has the profile's shape.
 */
class PckExtensionsFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] der) {
    try {
      PckExtensions ext = PckExtensions.parse(der);
      assertThat(ext.ppid()).hasSize(32);
      assertThat(ext.cpuSvn()).hasSize(32);
      assertThat(ext.pceId()).hasSize(4);
      assertThat(ext.fmspc()).hasSize(12);
      assertThat(Arrays.stream(ext.sgxTcbComponents()).boxed())
          .hasSize(16)
          .allMatch(svn -> svn >= 0 && svn <= 255);
      assertThat(ext.pceSvn()).isBetween(0, 65535);
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("tdx.pck.extension-malformed");
    }
  }
}
