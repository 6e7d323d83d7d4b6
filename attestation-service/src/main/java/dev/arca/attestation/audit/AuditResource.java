package dev.arca.attestation.audit;

import dev.arca.attestation.api.Roles;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.storage.Json;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/audit/entries} ({@code auditor}): the audit log, oldest first. */
@Path("/v1/audit/entries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {

  /** One entry as served. */
  public record Entry(
      long sequence,
      String kind,
      String actor,
      String subject,
      String outcome,
      Object detail,
      Instant time) {}

  @Inject Database db;

  @GET
  public List<Entry> entries(
      @QueryParam("after") @DefaultValue("0") @Min(0) long after,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
      @QueryParam("subject") String subject) {
    return db.read(
        tx -> {
          String sql =
              "SELECT seq, kind, actor, subject, outcome, detail, created_at FROM audit_entry"
                  + " WHERE seq > ?"
                  + (subject == null ? "" : " AND subject = ?")
                  + " ORDER BY seq LIMIT ?";
          try (PreparedStatement ps = tx.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, after);
            if (subject != null) {
              ps.setString(i++, subject);
            }
            ps.setInt(i, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Entry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        Json.read(rs.getString(6)),
                        rs.getTimestamp(7).toInstant()));
              }
            }
            return out;
          }
        });
  }
}
