// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.registry.Device;
import dev.arca.attestation.registry.DeviceRegistry;
import dev.arca.attestation.storage.Database;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The fleet for device administrators (read also by auditors): each device's format, state, TCB
 * status and verdict of its last appraisal (from the log), and its lease (the latest unexpired key
 * grant); revocation after a confirmation, for {@code device-admin}.
 */
@Path("/console/devices")
@RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
@Produces(MediaType.TEXT_HTML)
public class DeviceConsole {
  static final int PAGE = 100;

  /** One device as the table shows it. */
  public record Row(
      Device device,
      String tcbStatus,
      Long lastEntry,
      String lastAppraised,
      String lastVerdict,
      String lease) {}

  /** A device's newest appraisal entry: where, when, its verdict and the appraisal's status. */
  private record LastAppraisal(long entry, String time, String verdict, String status) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance list(List<Row> rows, int page, boolean more, String revoked);

    static native TemplateInstance revoke(Device device);
  }

  @Inject DeviceRegistry registry;
  @Inject Database db;
  @Inject SecurityIdentity identity;
  @Inject ConsoleSession session;
  @Inject Clock clock;

  @GET
  @Operation(hidden = true)
  public TemplateInstance list(
      @QueryParam("page") @DefaultValue("0") int page, @QueryParam("revoked") String revoked) {
    int p = Math.max(0, page);
    List<Device> devices = registry.list(p * PAGE, PAGE + 1);
    List<Device> shown = devices.subList(0, Math.min(PAGE, devices.size()));
    Instant now = clock.instant();
    List<Row> rows = db.read(tx -> rows(tx, shown, now));
    // Said only when true: the link after a revocation cannot be made to claim another.
    boolean isRevoked =
        revoked != null && registry.find(revoked).map(Device::revoked).orElse(false);
    return Templates.list(rows, p, devices.size() > PAGE, isRevoked ? revoked : null);
  }

  /** What revoking a device does, and the button that does it. */
  @GET
  @Path("{id}/revoke")
  @RolesAllowed(Roles.DEVICE_ADMIN)
  @Operation(hidden = true)
  public TemplateInstance confirm(@PathParam("id") String id) {
    return Templates.revoke(registry.find(id).orElseThrow(() -> DeviceRegistry.notFound(id)));
  }

  @POST
  @Path("{id}/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RolesAllowed(Roles.DEVICE_ADMIN)
  @Operation(hidden = true)
  public Response revoke(
      @PathParam("id") String id, @FormParam(ConsoleSession.FORM_TOKEN) String token) {
    session.requireFormToken(token);
    registry.revoke(id, Caller.of(identity), clock.instant());
    return Response.seeOther(
            UriBuilder.fromPath("/console/devices").queryParam("revoked", id).build())
        .build();
  }

  private static List<Row> rows(Connection tx, List<Device> devices, Instant now)
      throws SQLException {
    String[] subjects = devices.stream().map(d -> "device:" + d.id()).toArray(String[]::new);
    String[] ids = devices.stream().map(Device::id).toArray(String[]::new);
    Map<String, LastAppraisal> last = new HashMap<>();
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT DISTINCT ON (subject) subject, idx, logged_at, outcome,"
                + " convert_from(leaf, 'UTF8')::jsonb #>> '{facts,detail,replay,appraisal,status}'"
                + " FROM tlog_entry WHERE subject = ANY(?)"
                + " AND type IN ('attestation.appraised', 'attestation.rejected')"
                + " ORDER BY subject, idx DESC")) {
      ps.setArray(1, tx.createArrayOf("text", subjects));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          last.put(
              rs.getString(1),
              new LastAppraisal(
                  rs.getLong(2),
                  rs.getTimestamp(3).toInstant().toString(),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
    }
    Map<String, String> tcb = new HashMap<>();
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT DISTINCT ON (subject) subject, tcb FROM (SELECT subject, idx,"
                + " convert_from(leaf, 'UTF8')::jsonb #>> '{facts,detail,tcbStatus}' AS tcb"
                + " FROM tlog_entry WHERE subject = ANY(?) AND type = 'attestation.appraised') e"
                + " WHERE tcb IS NOT NULL ORDER BY subject, idx DESC")) {
      ps.setArray(1, tx.createArrayOf("text", subjects));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tcb.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    Map<String, Instant> leases = new HashMap<>();
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT device_id, max(expires_at) FROM key_grant"
                + " WHERE device_id = ANY(?) AND expires_at > ? GROUP BY device_id")) {
      ps.setArray(1, tx.createArrayOf("text", ids));
      ps.setTimestamp(2, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          leases.put(rs.getString(1), rs.getTimestamp(2).toInstant());
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Device d : devices) {
      LastAppraisal l = last.get("device:" + d.id());
      Instant lease = leases.get(d.id());
      rows.add(
          new Row(
              d,
              tcb.getOrDefault("device:" + d.id(), "—"),
              l == null ? null : l.entry(),
              l == null ? "never" : l.time(),
              l == null ? "" : l.verdict() + (l.status() == null ? "" : ", " + l.status()),
              d.revoked()
                  ? "ended (revoked)"
                  : lease == null ? "none" : "until " + lease.truncatedTo(ChronoUnit.SECONDS)));
    }
    return rows;
  }
}
