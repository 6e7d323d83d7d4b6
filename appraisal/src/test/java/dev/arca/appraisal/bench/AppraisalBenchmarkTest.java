// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.appraisal.PolicyOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs each {@link AppraisalBenchmark} method once (no timing) and checks it measures what its name
 * says: every appraisal is a permit by the test policy's permit rule, every verification binds the
 * expected device, every bare signature verifies. A benchmark that silently measured a refusal (an
 * expired test certificate, a reference mismatch) would report a fast, meaningless figure.
 */
class AppraisalBenchmarkTest {
  private static final AppraisalBenchmark BENCH = new AppraisalBenchmark();

  @BeforeAll
  static void setUp() throws Exception {
    BENCH.setUp();
  }

  @Test
  void sevSnpIsAppraisedToAPermit() throws Exception {
    assertPermit(BENCH.appraiseSevSnp());
    assertThat(BENCH.verifySevSnp().deviceIdentity()).startsWith("sev-snp:");
    assertThat(BENCH.bareSevSnpSignature()).isTrue();
  }

  @Test
  void tdxIsAppraisedToAPermit() throws Exception {
    assertPermit(BENCH.appraiseTdx());
    assertThat(BENCH.verifyTdx().deviceIdentity()).startsWith("tdx:ppid:");
    assertThat(BENCH.bareTdxSignature()).isTrue();
  }

  @Test
  void nitroIsAppraisedToAPermit() throws Exception {
    assertPermit(BENCH.appraiseNitro());
    assertThat(BENCH.verifyNitro().deviceIdentity()).isEqualTo("i-bench-enc0");
    assertThat(BENCH.bareNitroSignature()).isTrue();
  }

  @Test
  void theStepsMeasureAPermitAndAFullRecord() {
    assertPermit(BENCH.stepPolicyDecide());
    var record = BENCH.stepRecordAndReferences();
    assertThat(record.referenceSets()).hasSize(1);
    assertThat(record.collateral()).containsKeys("pckcrl", "sample_tcbInfo_response");
    assertThat(record.appraisal()).isNotNull();
  }

  @Test
  void repeatedAppraisalsOfTheSameEvidenceStayPermits() throws Exception {
    // What the benchmark does: the same evidence (one fixed nonce) appraised again and again.
    for (int i = 0; i < 3; i++) {
      assertPermit(BENCH.appraiseSevSnp());
      assertPermit(BENCH.appraiseTdx());
      assertPermit(BENCH.appraiseNitro());
    }
  }

  private static void assertPermit(PolicyOutcome outcome) {
    assertThat(outcome.permitted()).as(outcome.reason()).isTrue();
    assertThat(outcome.decidedBy()).containsExactly("synthetic-on-any-enrolled-device");
  }
}
