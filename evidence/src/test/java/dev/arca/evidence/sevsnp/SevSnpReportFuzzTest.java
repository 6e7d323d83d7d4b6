// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;

/**
 * Fuzzes report parsing and the whole verification (with the real VCEK as collateral): anything
 * other than {@link EvidenceException} escaping is a finding. Seeds: the real report.
 */
class SevSnpReportFuzzTest {
  private static final SevSnpVerifier VERIFIER = new SevSnpVerifier();
  private static final VerificationContext CONTEXT =
      SevSnpVerifierTest.context(SevSnpVerifierTest.AT).build();

  @FuzzTest(maxDuration = "10s")
  void fuzzReport(byte[] input) {
    try {
      AttestationReport r = AttestationReport.parse(input);
      assertThat(r.version()).isGreaterThanOrEqualTo(2);
      Claims c = VERIFIER.verify(input, CONTEXT);
      // Only the real report can verify: the signature covers everything but its own padding.
      assertThat(c.reportData()).hasSize(64);
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("sevsnp."));
    }
  }
}
