package dev.arca.attestation.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Enrolment, attributes, listing and revocation of devices; each change is audited. */
@ApplicationScoped
public class DeviceRegistry {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject Instance<DeviceEnrolment> enrolments;

  /** The enrolment handler for {@code format}. */
  public DeviceEnrolment enrolmentFor(String format) {
    for (DeviceEnrolment e : enrolments) {
      if (e.format().equals(format)) {
        return e;
      }
    }
    throw new ProblemException(
        ProblemType.UNKNOWN_FORMAT, "no enrolment for evidence format '" + format + "'");
  }

  /**
   * Enrols a device.
   *
   * @throws ProblemException {@code conflict} when the id or identity is already enrolled
   */
  public Device enrol(
      String id,
      String format,
      JsonNode enrolmentRequest,
      Map<String, String> attributes,
      String actor,
      Instant now) {
    EnrolledIdentity identity = enrolmentFor(format).enrol(enrolmentRequest, now);
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "INSERT INTO device (id, format, identity, enrolment, attributes, status,"
                      + " enrolled_at, enrolled_by) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, id);
            ps.setString(2, format);
            ps.setString(3, identity.identity());
            ps.setString(4, Json.write(identity.enrolment()));
            ps.setString(5, Json.write(attributes));
            ps.setString(6, Device.ACTIVE);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setString(8, actor);
            if (ps.executeUpdate() == 0) {
              throw new ProblemException(
                  ProblemType.CONFLICT, "a device with this id or identity is already enrolled");
            }
          }
          audit.append(
              tx,
              new AuditEvent(
                  "device.enrolled",
                  actor,
                  "device:" + id,
                  "ok",
                  Map.of(
                      "format", format, "identity", identity.identity(), "attributes", attributes)),
              now);
          return find(tx, id).orElseThrow();
        });
  }

  /** Replaces a device's attributes. */
  public Device setAttributes(
      String id, Map<String, String> attributes, String actor, Instant now) {
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement("UPDATE device SET attributes = ?::jsonb WHERE id = ?")) {
            ps.setString(1, Json.write(attributes));
            ps.setString(2, id);
            if (ps.executeUpdate() == 0) {
              throw notFound(id);
            }
          }
          audit.append(
              tx,
              new AuditEvent(
                  "device.attributes",
                  actor,
                  "device:" + id,
                  "ok",
                  Map.of("attributes", attributes)),
              now);
          return find(tx, id).orElseThrow();
        });
  }

  /** Revokes a device: its next attestation is refused. Idempotent. */
  public Device revoke(String id, String actor, Instant now) {
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "UPDATE device SET status = ?, revoked_at = COALESCE(revoked_at, ?), revoked_by ="
                      + " COALESCE(revoked_by, ?) WHERE id = ?")) {
            ps.setString(1, Device.REVOKED);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, actor);
            ps.setString(4, id);
            if (ps.executeUpdate() == 0) {
              throw notFound(id);
            }
          }
          audit.append(
              tx, new AuditEvent("device.revoked", actor, "device:" + id, "ok", Map.of()), now);
          return find(tx, id).orElseThrow();
        });
  }

  public Optional<Device> find(String id) {
    return db.read(tx -> find(tx, id));
  }

  /** Reads a device inside a transaction. */
  public Optional<Device> find(Connection tx, String id) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(SELECT + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  public List<Device> list(int offset, int limit) {
    return db.read(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(SELECT + " ORDER BY id OFFSET ? LIMIT ?")) {
            ps.setInt(1, offset);
            ps.setInt(2, limit);
            List<Device> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(row(rs));
              }
            }
            return out;
          }
        });
  }

  static ProblemException notFound(String id) {
    return new ProblemException(ProblemType.NOT_FOUND, "no device '" + id + "'");
  }

  private static final String SELECT =
      "SELECT id, format, identity, enrolment, attributes, status, enrolled_at, enrolled_by,"
          + " revoked_at FROM device";

  private static Device row(ResultSet rs) throws SQLException {
    Timestamp revoked = rs.getTimestamp(9);
    Map<String, String> attrs =
        Json.MAPPER.convertValue(
            Json.read(rs.getString(5)), new TypeReference<HashMap<String, String>>() {});
    return new Device(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        Json.read(rs.getString(4)),
        attrs,
        rs.getString(6),
        rs.getTimestamp(7).toInstant(),
        rs.getString(8),
        revoked == null ? null : revoked.toInstant());
  }
}
