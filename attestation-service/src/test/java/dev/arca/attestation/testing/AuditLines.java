// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit log as an auditor reads it: {@code GET /v1/audit/search} (JSON lines {@code
 * {"index":n,"entry":<leaf>}}, the leaf being {@code {"actor","facts":{"subject","outcome",
 * "detail"},"time","type"}}).
 */
public final class AuditLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLines() {}

  /** Every line the search answers for {@code query}; fails unless the answer is 200. */
  public static List<JsonNode> search(Map<String, ?> query) {
    String body =
        Api.as("auditor")
            .queryParams(query)
            .get("/v1/audit/search")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.lines().toList()) {
      try {
        lines.add(JSON.readTree(line));
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }

  /** The entries about {@code subject} (e.g. {@code device:edge-1}), oldest first. */
  public static List<JsonNode> about(String subject) {
    return search(Map.of("subject", subject, "limit", 100_000));
  }

  /**
   * The one entry at leaf index {@code sequence} (what an answer's {@code auditSequence} names): a
   * test asserts on the entry its own request wrote, not on any entry of a subject.
   */
  public static JsonNode entry(long sequence) {
    List<JsonNode> lines = search(Map.of("after", sequence - 1, "limit", 1));
    if (lines.isEmpty() || lines.get(0).get("index").asLong() != sequence) {
      throw new AssertionError("no audit entry at index " + sequence + ": " + lines);
    }
    return lines.get(0).get("entry");
  }

  /** Each line's entry kind ({@code entry.type}). */
  public static List<String> kinds(List<JsonNode> lines) {
    return lines.stream().map(l -> l.at("/entry/type").asText()).toList();
  }

  /** Each line's outcome ({@code entry.facts.outcome}). */
  public static List<String> outcomes(List<JsonNode> lines) {
    return lines.stream().map(l -> l.at("/entry/facts/outcome").asText()).toList();
  }
}
