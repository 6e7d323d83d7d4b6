// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An uploaded TCB baseline ({@code snp_tcb_baseline.json}) against the real Milan vector, whose
 * REPORTED_TCB is bootloader 2, TEE 0, SNP 5, microcode 68 ({@link
 * TestSevSnpReports#reportedTcb()}).
 */
class SevSnpTcbBaselineTest {
  private static final Instant AT = SevSnpVerifierTest.AT;
  private static final Instant ISSUED = AT.minusSeconds(86_400);
  private static final Instant NEXT = AT.plusSeconds(86_400);

  private final SevSnpVerifier verifier = new SevSnpVerifier();

  private static Map<String, Integer> minimum(String component, int delta) {
    Map<String, Integer> m = new LinkedHashMap<>(TestSevSnpReports.reportedTcb());
    m.merge(component, delta, Integer::sum);
    return m;
  }

  private Claims verifyWith(byte[] baseline, Instant at) throws EvidenceException {
    return verifier.verify(
        SevSnpVerifierTest.REPORT,
        SevSnpVerifierTest.context(at).collateral("snp_tcb_baseline.json", baseline).build());
  }

  @Test
  void withoutABaselineThereIsNoStatus() throws Exception {
    Claims c = verifier.verify(SevSnpVerifierTest.REPORT, SevSnpVerifierTest.context(AT).build());
    assertThat(c.tcb()).doesNotContainKeys("tcbStatus", "tcbBaseline", "tcbBelowBaseline");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.AFFIRMING);
  }

  @Test
  void aTcbAtTheBaselineIsUpToDate() throws Exception {
    Claims c =
        verifyWith(
            TestSevSnpReports.baselineJson(
                TestSevSnpReports.reportedTcb(), ISSUED, NEXT, "AMD-SB-3019"),
            AT);
    assertThat(c.tcb())
        .containsEntry("tcbStatus", "UpToDate")
        .containsEntry("tcbBaseline", "AMD-SB-3019")
        .doesNotContainKey("tcbBelowBaseline");
    assertThat(c.insecureFlags()).containsExactly("sevsnp.policy.debug");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.AFFIRMING);
  }

  @Test
  void aTcbAboveTheBaselineIsUpToDateAndWithoutReferenceNamesItsIssueDate() throws Exception {
    Claims c =
        verifyWith(TestSevSnpReports.baselineJson(minimum("snp", -1), ISSUED, NEXT, null), AT);
    assertThat(c.tcb())
        .containsEntry("tcbStatus", "UpToDate")
        .containsEntry("tcbBaseline", ISSUED.toString());
  }

  @Test
  void oneComponentBelowIsOutOfDateFlaggedAndLowersHardwareTrust() throws Exception {
    Claims c =
        verifyWith(
            TestSevSnpReports.baselineJson(minimum("microcode", 47), ISSUED, NEXT, "AMD-SB-3019"),
            AT);
    assertThat(c.tcb())
        .containsEntry("tcbStatus", "OutOfDate")
        .containsEntry("tcbBelowBaseline", "microcode 68<115")
        .containsEntry("tcbBaseline", "AMD-SB-3019");
    assertThat(c.insecureFlags()).contains("sevsnp.tcb.out-of-date");
    // The value TDX gives Intel's OutOfDate: worse than a warning, short of contraindicated.
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(dev.arca.evidence.tdx.TcbStatus.OUT_OF_DATE.hardwareTrustworthiness())
        .isGreaterThan(Trustworthiness.WARNING)
        .isLessThan(Trustworthiness.CONTRAINDICATED);
    // The rest of the evidence is unchanged.
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.INSTANCE_IDENTITY))
        .isEqualTo(Trustworthiness.AFFIRMING);
  }

  @Test
  void everyComponentBelowIsListed() throws Exception {
    Map<String, Integer> higher = new LinkedHashMap<>();
    TestSevSnpReports.reportedTcb().forEach((k, v) -> higher.put(k, v + 1));
    Claims c = verifyWith(TestSevSnpReports.baselineJson(higher, ISSUED, NEXT, null), AT);
    assertThat(c.tcb())
        .containsEntry("tcbStatus", "OutOfDate")
        .containsEntry("tcbBelowBaseline", "bootloader 2<3,tee 0<1,snp 5<6,microcode 68<69");
  }

  @Test
  void aBaselineOutsideItsValiditySetsNoStatusButSaysWhy() throws Exception {
    byte[] belowIt = TestSevSnpReports.baselineJson(minimum("snp", 3), ISSUED, NEXT, "SB");
    Claims expired = verifyWith(belowIt, NEXT.plusSeconds(1));
    assertThat(expired.tcb())
        .containsEntry("tcbBaseline", "expired")
        .doesNotContainKeys("tcbStatus", "tcbBelowBaseline");
    assertThat(expired.insecureFlags()).doesNotContain("sevsnp.tcb.out-of-date");
    assertThat(expired.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.AFFIRMING);
    Claims early = verifyWith(belowIt, ISSUED.minusSeconds(1));
    assertThat(early.tcb())
        .containsEntry("tcbBaseline", "not-yet-valid")
        .doesNotContainKey("tcbStatus");
    // Both ends of the validity are inside it.
    assertThat(verifyWith(belowIt, NEXT).tcb()).containsEntry("tcbStatus", "OutOfDate");
    assertThat(verifyWith(belowIt, ISSUED).tcb()).containsEntry("tcbStatus", "OutOfDate");
  }

  @Test
  void aBaselineForAnotherProductFailsVerification() {
    byte[] genoa =
        new String(
                TestSevSnpReports.baselineJson(
                    TestSevSnpReports.reportedTcb(), ISSUED, NEXT, "AMD-SB-3019"),
                StandardCharsets.UTF_8)
            .replace("Milan", "Genoa")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> verifyWith(genoa, AT))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("sevsnp.tcb-baseline.product-mismatch"))
        .hasMessageContaining("for Genoa but the report comes from a Milan processor");
  }

  @Test
  void aMalformedBaselineFailsVerificationInsteadOfBeingIgnored() {
    String ok =
        new String(
            TestSevSnpReports.baselineJson(TestSevSnpReports.reportedTcb(), ISSUED, NEXT, null),
            StandardCharsets.UTF_8);
    for (String bad :
        new String[] {
          ok.replace(
              "\"product\":\"Milan\"", "\"product\":\"Milan\",\"extra\":1"), // unknown member
          ok.replace("\"tee\":0", "\"tee\":0,\"psp\":1"), // unknown component
          ok.replace("\"tee\":0,", ""), // missing component
          ok.replace("\"tee\":0", "\"tee\":-1"), // negative
          ok.replace("\"tee\":0", "\"tee\":0,\"tee\":0"), // duplicate key
        }) {
      assertThatThrownBy(() -> verifyWith(bad.getBytes(StandardCharsets.UTF_8), AT))
          .as(bad)
          .isInstanceOfSatisfying(
              EvidenceException.class,
              e -> assertThat(e.ids()).containsExactly("sevsnp.tcb-baseline.malformed"));
    }
  }
}
