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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Auditor search over the transparency log, the service's one audit store (role {@code auditor}):
 * filters by device, model, version, verdict, time range, actor, subject and kind (a kind such as
 * {@code usage.reported}, or its family {@code usage}), all combined with AND; answers as JSON
 * lines, one {@code {"index":n,"entry":<leaf>}} per line, where {@code <leaf>} is the exact
 * canonical leaf (so each line can be checked against the log with an inclusion proof).
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
      @QueryParam("verdict") String verdict,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("actor") String actor,
      @QueryParam("subject") String subject,
      @QueryParam("kind") String kind,
      @QueryParam("after") @DefaultValue("-1") long after,
      @QueryParam("limit") @DefaultValue("1000") int limit) {
    if (limit < 1 || limit > 100_000) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "limit must be in [1, 100000]");
    }
    if (version != null && model == null) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "version needs model");
    }
    StringBuilder sql = new StringBuilder("SELECT idx, leaf FROM tlog_entry WHERE idx > ?");
    List<Object> args = new ArrayList<>();
    args.add(after);
    if (device != null) {
      sql.append(" AND (subject = ? OR actor = ?)");
      args.add("device:" + device);
      args.add("device:" + device);
    }
    if (actor != null) {
      sql.append(" AND actor = ?");
      args.add(actor);
    }
    if (subject != null) {
      sql.append(" AND subject = ?");
      args.add(subject);
    }
    if (kind != null) {
      // A kind or a family of kinds: "usage" matches usage.reported.
      if (!kind.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*")) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "kind is a dotted lower-case name such as attestation.appraised or usage");
      }
      sql.append(" AND (type = ? OR type LIKE ?)");
      args.add(kind);
      args.add(kind + ".%");
    }
    if (verdict != null) {
      sql.append(" AND outcome = ?");
      args.add(verdict);
    }
    if (from != null) {
      sql.append(" AND logged_at >= ?");
      args.add(Timestamp.from(instant("from", from)));
    }
    if (to != null) {
      sql.append(" AND logged_at < ?");
      args.add(Timestamp.from(instant("to", to)));
    }
    if (model != null) {
      // Grants record "model@version"; a model's own events have subject "model:<id>[@v]".
      String exact = version == null ? null : model + "@" + version;
      sql.append(
          " AND (jsonb_path_exists(convert_from(leaf, 'UTF8')::jsonb,"
              + " '$.facts.detail.grants[*].model ? (@ == $m || @ starts with $p)',"
              + " jsonb_build_object('m', ?::text, 'p', ?::text))"
              + " OR subject = ? OR subject LIKE ?)");
      args.add(exact == null ? "" : exact);
      args.add(exact == null ? model + "@" : exact);
      args.add("model:" + (exact == null ? model : exact));
      args.add(exact == null ? "model:" + model + "@%" : "model:" + exact);
    }
    sql.append(" ORDER BY idx LIMIT ?");
    args.add(limit);
    return db.read(
        tx -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (PreparedStatement ps = tx.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.writeBytes(
                    ("{\"index\":" + rs.getLong(1) + ",\"entry\":")
                        .getBytes(StandardCharsets.UTF_8));
                out.writeBytes(rs.getBytes(2));
                out.write('}');
                out.write('\n');
              }
            }
          }
          return out.toByteArray();
        });
  }

  /** Every entry from {@code after + 1} on, as JSON lines. */
  @GET
  @Path("export")
  @Produces(JSONL)
  public byte[] export(@QueryParam("after") @DefaultValue("-1") long after) {
    return search(null, null, null, null, null, null, null, null, null, after, 100_000);
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          name + " must be an ISO-8601 instant like 2026-01-31T00:00:00Z");
    }
  }
}
