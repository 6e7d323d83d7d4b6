// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.usage.UsageReport;
import dev.arca.runtime.lease.Standing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RuntimeMetricsTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void everyFamilyHasItsTypeAndEachRequestLineItsLabels() {
    String text =
        RuntimeMetrics.render(
            List.of(new UsageReport.Count("triage", 2, "phi", 40, 3)),
            Map.of("triage", 2L),
            new Standing.Offline(T, "unreachable"),
            Optional.of(T.plusSeconds(3600)),
            OptionalInt.of(4));

    assertThat(text)
        .contains("# TYPE arca_runtime_requests_total counter\n")
        .contains(
            "arca_runtime_requests_total{model=\"triage\",version=\"2\",data_class=\"phi\","
                + "outcome=\"served\"} 40\n")
        .contains(
            "arca_runtime_requests_total{model=\"triage\",version=\"2\",data_class=\"phi\","
                + "outcome=\"refused\"} 3\n")
        .contains("arca_runtime_model_served{model=\"triage\",version=\"2\"} 1\n")
        .contains("arca_runtime_standing{state=\"online\"} 0\n")
        .contains("arca_runtime_standing{state=\"offline\"} 1\n")
        .contains("arca_runtime_offline_until_seconds " + T.plusSeconds(3600).getEpochSecond())
        .contains("arca_runtime_usage_reports_queued 4\n");
    // Every sample line is "name{labels} value" or "name value".
    assertThat(text.lines().filter(l -> !l.startsWith("#")))
        .allMatch(l -> l.matches("[a-z_]+(\\{[^}]*\\})? -?[0-9]+"));
  }

  @Test
  void labelValuesAreEscapedSoNoNameCanBreakALine() {
    assertThat(RuntimeMetrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }

  @Test
  void withNothingServedOrQueuedThoseFamiliesAreLeftOut() {
    String text =
        RuntimeMetrics.render(
            List.of(), Map.of(), new Standing.Online(T), Optional.empty(), OptionalInt.empty());
    assertThat(text)
        .doesNotContain("arca_runtime_offline_until_seconds")
        .doesNotContain("arca_runtime_usage_reports_queued")
        .contains("arca_runtime_standing{state=\"online\"} 1\n");
  }
}
