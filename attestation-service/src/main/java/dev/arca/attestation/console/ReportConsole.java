// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.audit.log.AuditQuery;
import dev.arca.attestation.audit.log.TransparencyLogResource;
import dev.arca.attestation.storage.Database;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The audit report for a period (role {@code auditor}), as a page and as a PDF to hand on, each
 * built from the log as the newest signed checkpoint fixes it ({@link AuditReport}).
 */
@Path("/console/report")
@RolesAllowed(Roles.AUDITOR)
public class ReportConsole {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance report(String from, String to, String error, AuditReport report);
  }

  @Inject Database db;
  @Inject TransparencyLogResource log;
  @Inject Clock clock;

  /** The report of the period (default: the last 30 days), with the link to its PDF. */
  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public TemplateInstance page(@QueryParam("from") String from, @QueryParam("to") String to) {
    try {
      return Templates.report(from, to, null, build(from, to));
    } catch (ProblemException e) {
      return Templates.report(from, to, e.getMessage(), null);
    }
  }

  /** The same report as a PDF. */
  @GET
  @Path("pdf")
  @Produces("application/pdf")
  @Operation(hidden = true)
  public Response pdf(@QueryParam("from") String from, @QueryParam("to") String to) {
    AuditReport r = build(from, to);
    return Response.ok(ReportPdf.of(r), "application/pdf")
        .header(
            "Content-Disposition",
            "attachment; filename=\"arca-audit-report-" + r.first() + "-" + r.last() + ".pdf\"")
        .build();
  }

  private AuditReport build(String from, String to) {
    LocalDate last = day("to", to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    LocalDate first = day("from", from, last.minusDays(29));
    if (first.isAfter(last)) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "the first day is after the last");
    }
    // The checkpoint first: the report covers exactly the entries it signs.
    String checkpoint = new String((byte[]) log.checkpoint().getEntity(), StandardCharsets.UTF_8);
    long size = Long.parseLong(checkpoint.split("\n", 3)[1]);
    AuditQuery query =
        AuditQuery.between(
            first.atStartOfDay(ZoneOffset.UTC).toInstant(),
            last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    return AuditReport.of(first, last, checkpoint, size, db.read(query::run));
  }

  private static LocalDate day(String field, String value, LocalDate absent) {
    LocalDate day = AuditFilters.day(field, value);
    return day == null ? absent : day;
  }
}
