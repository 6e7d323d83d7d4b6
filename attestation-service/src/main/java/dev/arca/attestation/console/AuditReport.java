// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.log.AuditQuery;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An audit report for a period, built from the log as one signed checkpoint fixes it: who could
 * read which model on which data class (the grants released), every denial and why, and every
 * change of policy, enrolment, model or key. Entries the checkpoint does not cover are left out, so
 * the report and its checkpoint say the same thing.
 *
 * @param checkpoint the signed checkpoint note it was built from
 * @param size the tree size that checkpoint signs
 */
public record AuditReport(
    LocalDate first,
    LocalDate last,
    String checkpoint,
    long size,
    List<Access> access,
    List<Denial> denials,
    List<Change> changes) {

  /** A device that received a model's key for a data class, how often and when. */
  public record Access(
      String device,
      String model,
      String dataClass,
      int grants,
      String firstTime,
      String lastTime) {}

  /** A refusal: of one model request, or of the whole attestation. */
  public record Denial(long entry, String time, String device, String what, String why) {}

  /** A change of the service's state that decides access. */
  public record Change(long entry, String time, String kind, String actor, String subject) {}

  /**
   * Builds the report of {@code hits} (the period's entries, oldest first) as of the checkpoint.
   *
   * @throws ProblemException when the period holds more entries than one search returns
   */
  static AuditReport of(
      LocalDate first, LocalDate last, String checkpoint, long size, List<AuditQuery.Hit> hits) {
    if (hits.size() >= AuditQuery.MAX_LIMIT) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "the period holds more than " + AuditQuery.MAX_LIMIT + " entries; report a shorter one");
    }
    Map<String, Access> access = new TreeMap<>();
    List<Denial> denials = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (AuditQuery.Hit h : hits) {
      if (h.index() >= size) {
        break;
      }
      JsonNode e = EntryInWords.json(h.leaf());
      String type = e.path("type").asText();
      String subject = e.at("/facts/subject").asText();
      if (type.equals("attestation.appraised") || type.equals("attestation.rejected")) {
        String device = subject.substring(subject.indexOf(':') + 1);
        grants(e, device, access);
        denials(h.index(), e, device, denials);
      } else if (!type.startsWith("usage.")) {
        changes.add(
            new Change(
                h.index(), e.path("time").asText(), type, e.path("actor").asText(), subject));
      }
    }
    return new AuditReport(
        first, last, checkpoint, size, List.copyOf(access.values()), denials, changes);
  }

  /** Counts the entry's grants per device, model version and data class. */
  private static void grants(JsonNode e, String device, Map<String, Access> access) {
    String time = e.path("time").asText();
    for (JsonNode g : e.at("/facts/detail/grants")) {
      String model = g.path("model").asText();
      for (JsonNode c : g.path("dataClasses")) {
        access.merge(
            device + "\u0000" + model + "\u0000" + c.asText(),
            new Access(device, model, c.asText(), 1, time, time),
            (a, b) ->
                new Access(
                    a.device(), a.model(), a.dataClass(), a.grants() + 1, a.firstTime(), time));
      }
    }
  }

  /** The entry's denied model requests, or the refusal of the whole attestation. */
  private static void denials(long index, JsonNode e, String device, List<Denial> out) {
    String time = e.path("time").asText();
    JsonNode detail = e.at("/facts/detail");
    boolean decided = false;
    for (JsonNode d : detail.at("/replay/decisions")) {
      if (!d.path("permitted").asBoolean()) {
        decided = true;
        String rules =
            d.path("rules").isEmpty()
                ? "no rule permits it"
                : "rule(s) " + EntryInWords.join(d.path("rules"));
        out.add(
            new Denial(
                index,
                time,
                device,
                d.path("model").asText()
                    + "@"
                    + d.path("version").asText()
                    + " on "
                    + d.path("dataClass").asText(),
                rules + " (" + d.path("reason").asText() + ")"));
      }
    }
    if (e.path("type").asText().equals("attestation.rejected") && !decided) {
      out.add(
          new Denial(
              index,
              time,
              device,
              "the attestation",
              e.at("/facts/outcome").asText() + ": " + detail.path("detail").asText()));
    }
  }
}
