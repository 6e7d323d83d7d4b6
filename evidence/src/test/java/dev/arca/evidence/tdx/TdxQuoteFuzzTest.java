// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;

/**
 * Fuzzes quote parsing (v4 and v5 layouts) and the whole verification with the real collateral:
 * anything other than {@link EvidenceException} escaping is a finding. Seed: the real v4 quote.
 */
class TdxQuoteFuzzTest {
  private static final TdxVerifier VERIFIER = new TdxVerifier();
  private static final VerificationContext CONTEXT =
      TdxVerifierTest.context(TdxVerifierTest.AT).build();

  @FuzzTest(maxDuration = "10s")
  void fuzzQuote(byte[] input) {
    try {
      TdxQuote q = TdxQuote.parse(input);
      assertThat(q.version()).isIn(4, 5);
      assertThat(q.signedBytes().length).isLessThanOrEqualTo(input.length);
      VERIFIER.verify(input, CONTEXT);
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("tdx."));
    }
  }
}
