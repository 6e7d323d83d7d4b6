// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy.impact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.policy.DecisionInput;
import dev.arca.policy.DeviceFacts;
import dev.arca.policy.EarStatus;
import dev.arca.policy.EvidenceFacts;
import dev.arca.policy.ModelFacts;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.TcbStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyImpactTest {
  private static final Path SAMPLES = Path.of("samples");

  @Test
  void listsOnlyTheDecisionsADraftWouldFlip() throws Exception {
    Policy current = PolicyLoader.load(SAMPLES.resolve("hipaa-phi.yaml"));
    Policy draft = PolicyLoader.load(SAMPLES.resolve("research-synthetic.yaml"));
    RecordedDecision devPhi = recorded(current, "audit#1", input("dev", false, "phi"));
    RecordedDecision tpmPhi = recorded(current, "audit#2", input("tpm2", true, "phi"));
    assertThat(devPhi.permitted()).isFalse();
    assertThat(tpmPhi.permitted()).isTrue();

    List<ImpactChange> changes = PolicyImpact.changes(draft, List.of(devPhi, tpmPhi));

    // The research policy permits no PHI at all: the hospital workstation's permit flips, the
    // dev attester's denial stays a denial and is not listed.
    assertThat(changes).hasSize(1);
    ImpactChange c = changes.get(0);
    assertThat(c.recorded().ref()).isEqualTo("audit#2");
    assertThat(c.before()).isTrue();
    assertThat(c.after()).isFalse();
    assertThat(c.draftReason()).isNotBlank();
  }

  @Test
  void theSamePolicyChangesNothing() throws Exception {
    Policy current = PolicyLoader.load(SAMPLES.resolve("hipaa-phi.yaml"));
    List<RecordedDecision> log =
        List.of(
            recorded(current, "a", input("dev", false, "phi")),
            recorded(current, "b", input("tpm2", true, "phi")));
    assertThat(PolicyImpact.changes(current, log)).isEmpty();
  }

  private static RecordedDecision recorded(Policy p, String ref, DecisionInput in) {
    var d = p.decide(in);
    return new RecordedDecision(ref, in, d.permitted(), d.matchedRules());
  }

  private static DecisionInput input(String format, boolean hardware, String dataClass) {
    return DecisionInput.builder()
        .device(
            DeviceFacts.builder()
                .id("ws-1")
                .deviceClass("clinical-workstation")
                .site("st-mary-hospital")
                .enrolmentMethod(format)
                .enrolledAt(Instant.parse("2026-01-01T00:00:00Z"))
                .revoked(false)
                .build())
        .evidence(
            EvidenceFacts.builder()
                .format(format)
                .hardwareRooted(hardware)
                .debug(false)
                .tcbStatus(hardware ? TcbStatus.UP_TO_DATE : TcbStatus.UNKNOWN)
                .earStatus(EarStatus.AFFIRMING)
                .build())
        .model(ModelFacts.builder().id("m1").version(1).dataClasses(List.of("phi")).build())
        .dataClass(dataClass)
        .purpose("treatment")
        .time(Instant.parse("2026-11-25T12:00:00Z"))
        .build();
  }
}
