// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.audit.log.AuditQuery;
import dev.arca.attestation.storage.Database;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The auditor's audit log pages: a search over the log with a timeline of permits and denials, and
 * one entry told in plain words with its inclusion proof checked in the browser ({@code
 * /console/assets/proof.js}) against the log key the auditor pinned there.
 */
@Path("/console/audit")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.TEXT_HTML)
public class AuditConsole {
  /** The most entries a search page lists. */
  static final int PAGE = 200;

  /** The most days the timeline spans. */
  static final int MAX_DAYS = 92;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One row of the result table. */
  public record Row(long index, String time, String kind, String subject, String verdict) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance search(
        AuditFilters filters,
        String error,
        List<Row> rows,
        boolean more,
        String firstDay,
        String lastDay,
        List<DecisionTimeline.Chart> charts);

    static native TemplateInstance entry(
        long index, List<EntryInWords.Line> lines, String json, String leafBase64);
  }

  @Inject Database db;
  @Inject Clock clock;

  /** The search form, its results (newest first) and the timeline of the period searched. */
  @GET
  @Operation(hidden = true)
  public TemplateInstance search(@BeanParam AuditFilters filters) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    AuditQuery query;
    LocalDate first;
    LocalDate last;
    try {
      query = filters.query(PAGE + 1);
      last = filters.lastDay() == null ? today : filters.lastDay();
      first = filters.firstDay() == null ? last.minusDays(13) : filters.firstDay();
    } catch (ProblemException e) {
      return Templates.search(filters, e.getMessage(), List.of(), false, "", "", List.of());
    }
    if (first.isBefore(last.minusDays(MAX_DAYS - 1))) {
      first = last.minusDays(MAX_DAYS - 1);
    }
    LocalDate from = first;
    List<AuditQuery.Hit> hits = db.read(query::runNewestFirst);
    List<DecisionTimeline.Chart> charts =
        first.isAfter(last)
            ? List.of()
            : db.read(tx -> DecisionTimeline.read(tx, query, from, last));
    List<Row> rows = new ArrayList<>();
    for (AuditQuery.Hit h : hits.subList(0, Math.min(PAGE, hits.size()))) {
      JsonNode leaf = EntryInWords.json(h.leaf());
      rows.add(
          new Row(
              h.index(),
              leaf.path("time").asText(),
              leaf.path("type").asText(),
              leaf.at("/facts/subject").asText(),
              leaf.at("/facts/outcome").asText()));
    }
    return Templates.search(
        filters, null, rows, hits.size() > PAGE, first.toString(), last.toString(), charts);
  }

  /** One entry in plain words, with what the browser needs to check its proof. */
  @GET
  @Path("entry/{index: [0-9]{1,18}}")
  @Operation(hidden = true)
  public TemplateInstance entry(@PathParam("index") long index) {
    byte[] leaf =
        db.read(
            tx -> {
              try (PreparedStatement ps =
                  tx.prepareStatement("SELECT leaf FROM tlog_entry WHERE idx = ?")) {
                ps.setLong(1, index);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getBytes(1) : null;
                }
              }
            });
    if (leaf == null) {
      throw new ProblemException(ProblemType.NOT_FOUND, "the log has no entry " + index);
    }
    JsonNode parsed = EntryInWords.json(leaf);
    String pretty;
    try {
      pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Templates.entry(
        index, EntryInWords.describe(parsed), pretty, Base64.getEncoder().encodeToString(leaf));
  }
}
