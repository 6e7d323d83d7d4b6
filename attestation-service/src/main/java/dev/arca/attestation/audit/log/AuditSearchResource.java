// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.storage.Database;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Auditor search over the transparency log, the service's one audit store (role {@code auditor}):
 * filters by device, model, version, data class, policy rule, verdict, time range, actor, subject
 * and kind (a kind such as {@code usage.reported}, or its family {@code usage}), all combined with
 * AND ({@link AuditQuery}); answers as JSON lines, one {@code {"index":n,"entry":<leaf>}} per line,
 * where {@code <leaf>} is the exact canonical leaf (so each line can be checked against the log
 * with an inclusion proof).
 */
@Path("/v1/audit")
@RolesAllowed(Roles.AUDITOR)
public class AuditSearchResource {
  /** JSON lines media type. */
  public static final String JSONL = "application/jsonl";

  @Inject Database db;

  /** Search; {@code export} is the same without a page limit. */
  @APIResponse(responseCode = "200", description = "Matching entries as JSON lines")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @GET
  @Path("search")
  @Produces(JSONL)
  public byte[] search(
      @QueryParam("device") String device,
      @QueryParam("model") String model,
      @QueryParam("version") Long version,
      @QueryParam("dataClass") String dataClass,
      @QueryParam("rule") String rule,
      @QueryParam("verdict") String verdict,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("actor") String actor,
      @QueryParam("subject") String subject,
      @QueryParam("kind") String kind,
      @QueryParam("after") @DefaultValue("-1") long after,
      @QueryParam("limit") @DefaultValue("1000") int limit) {
    AuditQuery query =
        new AuditQuery(
            device,
            model,
            version,
            dataClass,
            rule,
            verdict,
            instant("from", from),
            instant("to", to),
            actor,
            subject,
            kind,
            after,
            limit);
    return lines(query);
  }

  /** Every entry from {@code after + 1} on, as JSON lines. */
  @GET
  @Path("export")
  @Produces(JSONL)
  public byte[] export(@QueryParam("after") @DefaultValue("-1") long after) {
    return lines(AuditQuery.everything(after, AuditQuery.MAX_LIMIT));
  }

  private byte[] lines(AuditQuery query) {
    return db.read(
        tx -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          for (AuditQuery.Hit hit : query.run(tx)) {
            out.writeBytes(
                ("{\"index\":" + hit.index() + ",\"entry\":").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(hit.leaf());
            out.write('}');
            out.write('\n');
          }
          return out.toByteArray();
        });
  }

  /** {@code value} as an instant, or {@code null} when absent. */
  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          name + " must be an ISO-8601 instant like 2026-01-31T00:00:00Z");
    }
  }
}
