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
      String time = e.path("time").asText();
      String subject = e.at("/facts/subject").asText();
      String device = subject.startsWith("device:") ? subject.substring(7) : subject;
      JsonNode detail = e.at("/facts/detail");
      if (type.equals("attestation.appraised") || type.equals("attestation.rejected")) {
        for (JsonNode g : detail.path("grants")) {
          for (JsonNode c : g.path("dataClasses")) {
            String model = g.path("model").asText();
            access.merge(
                device + "\u0000" + model + "\u0000" + c.asText(),
                new Access(device, model, c.asText(), 1, time, time),
                (a, b) ->
                    new Access(
                        a.device(),
                        a.model(),
                        a.dataClass(),
                        a.grants() + 1,
                        a.firstTime(),
                        b.lastTime()));
          }
        }
        boolean decided = false;
        for (JsonNode d : detail.at("/replay/decisions")) {
          if (!d.path("permitted").asBoolean()) {
            decided = true;
            denials.add(
                new Denial(
                    h.index(),
                    time,
                    device,
                    d.path("model").asText()
                        + "@"
                        + d.path("version").asText()
                        + " on "
                        + d.path("dataClass").asText(),
                    (d.path("rules").isEmpty()
                            ? "no rule permits it"
                            : "rule(s) " + EntryInWords.join(d.path("rules")))
                        + " ("
                        + d.path("reason").asText()
                        + ")"));
          }
        }
        if (type.equals("attestation.rejected") && !decided) {
          denials.add(
              new Denial(
                  h.index(),
                  time,
                  device,
                  "the attestation",
                  e.at("/facts/outcome").asText() + ": " + detail.path("detail").asText()));
        }
      } else if (!type.startsWith("usage.")) {
        changes.add(new Change(h.index(), time, type, e.path("actor").asText(), subject));
      }
    }
    return new AuditReport(
        first, last, checkpoint, size, List.copyOf(access.values()), denials, changes);
  }
}
