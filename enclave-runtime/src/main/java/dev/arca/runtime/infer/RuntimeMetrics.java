// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import dev.arca.evidence.usage.UsageReport;
import dev.arca.runtime.lease.Standing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The runtime's metrics in the Prometheus text format (version 0.0.4), served at {@code GET
 * /metrics}: requests per model, version, data class and outcome since start; the model versions
 * served; the standing with the service; the end of the offline allowance; the usage reports
 * waiting for upload. Counts and names only, never a request's content.
 */
public final class RuntimeMetrics {
  /** The content type of the text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final List<String> STATES = List.of("online", "offline", "refused");

  private RuntimeMetrics() {}

  /**
   * Renders the metrics.
   *
   * @param requests requests since start ({@code UsageCounts.totals()})
   * @param served model id to the version served
   * @param standing the runtime's standing with the service
   * @param offlineUntil when serving ends if the service stays unreachable, if anything is served
   * @param queuedReports usage reports waiting, if the queue could be read
   */
  public static String render(
      List<UsageReport.Count> requests,
      Map<String, Long> served,
      Standing standing,
      Optional<Instant> offlineUntil,
      OptionalInt queuedReports) {
    StringBuilder out = new StringBuilder();
    header(out, "arca_runtime_requests_total", "counter", "Requests since start, by outcome.");
    for (UsageReport.Count c : requests) {
      for (String outcome : List.of("served", "refused")) {
        out.append("arca_runtime_requests_total{model=\"")
            .append(escape(c.modelId()))
            .append("\",version=\"")
            .append(c.version())
            .append("\",data_class=\"")
            .append(escape(c.dataClass()))
            .append("\",outcome=\"")
            .append(outcome)
            .append("\"} ")
            .append("served".equals(outcome) ? c.served() : c.refused())
            .append('\n');
      }
    }
    header(out, "arca_runtime_model_served", "gauge", "The model versions served (1 each).");
    served.forEach(
        (model, version) ->
            out.append("arca_runtime_model_served{model=\"")
                .append(escape(model))
                .append("\",version=\"")
                .append(version)
                .append("\"} 1\n"));
    header(out, "arca_runtime_standing", "gauge", "The standing with the attestation service.");
    for (String state : STATES) {
      out.append("arca_runtime_standing{state=\"")
          .append(state)
          .append("\"} ")
          .append(state.equals(standing.name()) ? 1 : 0)
          .append('\n');
    }
    offlineUntil.ifPresent(
        until -> {
          header(
              out,
              "arca_runtime_offline_until_seconds",
              "gauge",
              "When serving ends if the service stays unreachable (Unix time).");
          out.append("arca_runtime_offline_until_seconds ")
              .append(until.getEpochSecond())
              .append('\n');
        });
    queuedReports.ifPresent(
        n -> {
          header(
              out, "arca_runtime_usage_reports_queued", "gauge", "Usage reports awaiting upload.");
          out.append("arca_runtime_usage_reports_queued ").append(n).append('\n');
        });
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A label value as the text format requires: backslash, double quote and newline escaped. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
