// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit entry told in plain words for a person who is not an engineer: what happened, to what,
 * on which evidence and claims, which reference values and policy version decided, by which rules,
 * and what was released. Only what the entry records is said; nothing is looked up elsewhere.
 */
final class EntryInWords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EntryInWords() {}

  /** One statement: a short label and what the entry says. */
  record Line(String label, String text) {}

  /** The statements for {@code leaf} (an entry's canonical JSON). */
  static List<Line> describe(JsonNode leaf) {
    List<Line> out = new ArrayList<>();
    String type = leaf.path("type").asText();
    JsonNode facts = leaf.path("facts");
    JsonNode detail = facts.path("detail");
    out.add(new Line("What happened", headline(type, facts.path("outcome").asText(), detail)));
    out.add(new Line("When", leaf.path("time").asText()));
    out.add(new Line("Who acted", leaf.path("actor").asText()));
    out.add(new Line("About", facts.path("subject").asText()));
    JsonNode replay = detail.path("replay");
    if (!replay.isMissingNode()) {
      appraisal(replay, out);
    }
    if (detail.has("tcbStatus")) {
      out.add(new Line("TCB status", detail.path("tcbStatus").asText() + " (the vendor's word)"));
    }
    for (JsonNode g : detail.path("grants")) {
      out.add(
          new Line(
              "Released",
              "the data key of "
                  + g.path("model").asText()
                  + " for "
                  + join(g.path("dataClasses"))
                  + " (grant "
                  + g.path("grantId").asText()
                  + ")"));
    }
    if (type.equals("attestation.appraised") && detail.path("grants").isEmpty()) {
      out.add(new Line("Released", "nothing"));
    }
    return out;
  }

  private static String headline(String type, String outcome, JsonNode detail) {
    return switch (type) {
      case "attestation.appraised" -> "A device's attestation was appraised and permitted";
      case "attestation.rejected" ->
          "A device's attestation was refused ("
              + outcome
              + "): "
              + detail.path("detail").asText("no detail recorded");
      default -> type + " (" + outcome + ")";
    };
  }

  private static void appraisal(JsonNode replay, List<Line> out) {
    JsonNode device = replay.path("device");
    out.add(
        new Line(
            "Evidence",
            replay.path("format").asText()
                + " evidence"
                + (replay.has("evidenceSha256")
                    ? " (SHA-256 " + replay.path("evidenceSha256").asText() + ")"
                    : "")
                + (device.isMissingNode()
                    ? ""
                    : " from device "
                        + device.path("id").asText()
                        + ", enrolled as "
                        + device.path("identity").asText())));
    JsonNode appraisal = replay.path("appraisal");
    if (!appraisal.isMissingNode()) {
      List<String> claims = new ArrayList<>();
      appraisal
          .path("trustVector")
          .properties()
          .forEach(e -> claims.add(e.getKey() + " " + e.getValue().asText()));
      out.add(
          new Line(
              "Claims",
              "status " + appraisal.path("status").asText() + "; " + String.join(", ", claims)));
    }
    List<String> sets = new ArrayList<>();
    replay
        .path("referenceSets")
        .forEach(r -> sets.add(r.path("name").asText() + " version " + r.path("version").asText()));
    out.add(
        new Line("Reference values", sets.isEmpty() ? "none matched" : String.join(", ", sets)));
    JsonNode policy = replay.path("policy");
    if (!policy.isMissingNode()) {
      out.add(
          new Line(
              "Policy",
              policy.path("name").asText() + " version " + policy.path("version").asText()));
    }
    for (JsonNode d : replay.path("decisions")) {
      out.add(
          new Line(
              "Decision",
              d.path("model").asText()
                  + " version "
                  + d.path("version").asText()
                  + " on "
                  + d.path("dataClass").asText()
                  + " data for "
                  + d.path("purpose").asText()
                  + ": "
                  + (d.path("permitted").asBoolean() ? "permitted" : "denied")
                  + " by "
                  + (d.path("rules").isEmpty() ? "no rule (default deny)" : join(d.path("rules")))
                  + " ("
                  + d.path("reason").asText()
                  + ")"));
    }
  }

  /** An entry's canonical leaf bytes as JSON. */
  static JsonNode json(byte[] leaf) {
    try {
      return JSON.readTree(new String(leaf, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("a log leaf is not JSON", e);
    }
  }

  /** The strings of a JSON array, comma-separated. */
  static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(", ", out);
  }
}
