// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Obligations, durations and the input builders. */
class ValuesTest {

  @Test
  void mostRestrictiveKeepsTheSmallerValueOfEachKind() {
    Obligations a =
        Obligations.builder().leaseLength(Duration.ofHours(24)).maxRequestsPerMinute(10).build();
    Obligations b =
        Obligations.builder()
            .leaseLength(Duration.ofHours(48))
            .offlineAllowance(Duration.ofHours(1))
            .maxRequestsPerMinute(100)
            .build();
    Obligations m = a.mostRestrictive(b);
    assertThat(m.leaseLength()).contains(Duration.ofHours(24));
    assertThat(m.offlineAllowance()).contains(Duration.ofHours(1));
    assertThat(m.maxRequestsPerMinute()).hasValue(10);
    assertThat(m.reattestationInterval()).isEmpty();
    assertThat(b.mostRestrictive(a)).isEqualTo(m);
    assertThat(m.mostRestrictive(Obligations.NONE)).isEqualTo(m);
    assertThat(Obligations.NONE.mostRestrictive(Obligations.NONE).isEmpty()).isTrue();
  }

  @Test
  void obligationsRefuseNonPositiveValues() {
    assertThatThrownBy(() -> Obligations.builder().leaseLength(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Obligations.builder().maxRequestsPerMinute(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durations() {
    assertThat(PolicyDurations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(PolicyDurations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(PolicyDurations.parse("72h")).isEqualTo(Duration.ofDays(3));
    assertThat(PolicyDurations.parse("7d")).isEqualTo(Duration.ofDays(7));
    for (String bad : List.of("0h", "1.5h", "h", "10", "-1h", "1w", "")) {
      assertThatThrownBy(() -> PolicyDurations.parse(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(PolicyDurations.format(Duration.ofDays(14))).isEqualTo("14d");
    assertThat(PolicyDurations.format(Duration.ofDays(3))).isEqualTo("72h");
    assertThat(PolicyDurations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(PolicyDurations.format(Duration.ofSeconds(45))).isEqualTo("45s");
  }

  @Test
  void buildersRefuseMissingSecurityRelevantFields() {
    assertThatThrownBy(() -> EvidenceFacts.builder().format("tpm2").hardwareRooted(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("evidence.debug");
    assertThatThrownBy(
            () ->
                DeviceFacts.builder()
                    .id("d")
                    .enrolmentMethod("tpm-ek")
                    .enrolledAt(TestInputs.NOW)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("device.revoked");
    assertThatThrownBy(() -> ModelFacts.builder().id("m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model.version");
    assertThatThrownBy(() -> TestInputs.hospital().time(null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("time");
  }

  @Test
  void inputsAreImmutable() {
    java.util.HashMap<String, String> attrs = new java.util.HashMap<>(Map.of("a", "1"));
    DeviceFacts d =
        DeviceFacts.builder()
            .id("d")
            .attributes(attrs)
            .enrolmentMethod("tpm-ek")
            .enrolledAt(TestInputs.NOW)
            .revoked(false)
            .build();
    attrs.put("b", "2");
    assertThat(d.attributes()).containsOnlyKeys("a");
    assertThatThrownBy(() -> d.attributes().put("c", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void claimsRefuseValuesCelCannotHold() {
    assertThatThrownBy(() -> TestInputs.tpm().claims(Map.of("x", new Object())).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.x");
  }

  @Test
  void jsonStyleClaimsConvert() throws Exception {
    java.util.List<Object> withNull = new java.util.ArrayList<>();
    withNull.add("a");
    withNull.add(null);
    java.util.Map<String, Object> raw = new java.util.HashMap<>();
    raw.put("big", new java.math.BigInteger("18446744073709551615"));
    raw.put("small", java.math.BigInteger.TEN);
    raw.put("dec", new java.math.BigDecimal("1.25"));
    raw.put("list", withNull);
    raw.put("gone", null);
    EvidenceFacts e = TestInputs.tpm().claims(raw).build();
    assertThat(e.claims()).containsOnlyKeys("big", "small", "dec", "list");
    Policy p =
        TestInputs.load(
            TestInputs.rule(
                "r",
                "permit",
                "evidence.claims.big == 18446744073709551615u && evidence.claims.small == 10"
                    + " && evidence.claims.dec == 1.25 && evidence.claims.list == ['a']"));
    Decision d = p.decide(TestInputs.hospital().evidence(e).build());
    assertThat(d.errors()).isEmpty();
    assertThat(d.verdict()).isEqualTo(Verdict.PERMIT);
    assertThatThrownBy(
            () -> TestInputs.tpm().claims(Map.of("huge", java.math.BigInteger.TWO.pow(70))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.huge");
  }

  @Test
  void enumeratedValuesRoundTrip() {
    for (TcbStatus s : TcbStatus.values()) {
      assertThat(TcbStatus.fromCelValue(s.celValue())).isEqualTo(s);
    }
    for (EarStatus s : EarStatus.values()) {
      assertThat(EarStatus.fromCelValue(s.celValue())).isEqualTo(s);
    }
    assertThat(PolicyVariables.ENUMERATED_FIELDS.get("evidence.earStatus"))
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(EarStatus.values())
                .map(EarStatus::celValue)
                .toArray(String[]::new));
    assertThat(PolicyVariables.ENUMERATED_FIELDS.get("evidence.tcbStatus"))
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(TcbStatus.values())
                .map(TcbStatus::celValue)
                .toArray(String[]::new));
  }
}
