// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Decision inputs and policy texts for tests. */
final class TestInputs {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private TestInputs() {}

  /** A hardware-rooted TPM workstation asking for model {@code m1} on {@code phi}. */
  static DecisionInput.Builder hospital() {
    return DecisionInput.builder()
        .device(
            DeviceFacts.builder()
                .id("ws-1")
                .deviceClass("clinical-workstation")
                .site("st-mary")
                .owner("radiology")
                .attributes(Map.of("firmware", "1.8.2"))
                .enrolmentMethod("tpm-ek")
                .enrolledAt(Instant.parse("2026-01-01T00:00:00Z"))
                .revoked(false)
                .build())
        .evidence(tpm().build())
        .model(
            ModelFacts.builder()
                .id("m1")
                .version(3)
                .labels(Map.of("risk", "high"))
                .dataClasses(List.of("phi"))
                .publisher("radiology-ml")
                .build())
        .dataClass("phi")
        .purpose("treatment")
        .time(NOW);
  }

  static EvidenceFacts.Builder tpm() {
    return EvidenceFacts.builder()
        .format("tpm2")
        .hardwareRooted(true)
        .debug(false)
        .tcbStatus(TcbStatus.UP_TO_DATE)
        .earStatus(EarStatus.AFFIRMING)
        .measurements(Map.of("pcr.sha256.23", "ab".repeat(32)))
        .trustVector(Map.of("hardware", 2, "executables", 2))
        .claims(Map.of("pcrs", Map.of("23", "ab".repeat(32)), "firmwareVersion", 7));
  }

  static EvidenceFacts.Builder dev() {
    return EvidenceFacts.builder()
        .format("dev")
        .hardwareRooted(false)
        .debug(false)
        .tcbStatus(TcbStatus.UNKNOWN)
        .earStatus(EarStatus.WARNING);
  }

  /** A policy document with the given rules (YAML list items, already indented by two). */
  static String policy(String... rules) {
    return "apiVersion: arca.dev/v1alpha1\n"
        + "kind: Policy\n"
        + "metadata:\n"
        + "  name: test-policy\n"
        + "  version: 7\n"
        + "rules:\n"
        + String.join("", rules);
  }

  static String rule(String name, String effect, String when) {
    return "  - name: " + name + "\n    effect: " + effect + "\n    when: \"" + when + "\"\n";
  }

  static String permit(String name, String when, String obligations) {
    return rule(name, "permit", when) + "    obligations: " + obligations + "\n";
  }

  static Policy load(String... rules) throws PolicyLoadException {
    return PolicyLoader.parse(policy(rules), "test.yaml");
  }
}
