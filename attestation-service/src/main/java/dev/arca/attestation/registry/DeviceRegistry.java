// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.storage.Json;
import dev.arca.crypto.Sha256;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Enrolment (with credential activation where the format needs it), attributes, listing and
 * revocation of devices; each change, and each refused enrolment step, is audited.
 */
@ApplicationScoped
public class DeviceRegistry {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject RowSeals seals;
  @Inject Instance<DeviceEnrolment> enrolments;
  @Inject DevFormat dev;

  /**
   * The enrolment handler for {@code format}.
   *
   * @throws ProblemException {@code unknown-format}; {@code format-disabled} for {@code dev} when
   *     it is off
   */
  public DeviceEnrolment enrolmentFor(String format) {
    dev.require(format);
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
  public Enrolment enrol(
      String id,
      String format,
      JsonNode enrolmentRequest,
      Map<String, String> attributes,
      String actor,
      Instant now) {
    DeviceEnrolment handler = enrolmentFor(format);
    EnrolledIdentity identity;
    try {
      identity = handler.enrol(enrolmentRequest, now);
    } catch (ProblemException e) {
      recordRejection("device.enrolment-rejected", actor, id, e, Map.of("format", format), now);
      throw e;
    }
    PendingActivation activation = identity.activation();
    String status = activation == null ? Device.ACTIVE : Device.PENDING;
    Instant activationExpires = activation == null ? null : now.plus(activation.ttl());
    byte[] enrolment = canonical(identity);
    Device device =
        db.inTransaction(
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
                ps.setString(6, status);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setString(8, actor);
                if (ps.executeUpdate() == 0
                    && !renewPending(tx, id, format, identity, attributes, actor, now)) {
                  throw new ProblemException(
                      ProblemType.CONFLICT,
                      "a device with this id or identity is already enrolled");
                }
              }
              seals.seal(tx, RowSeals.key(SealedTable.DEVICE, id));
              if (activation != null) {
                // A fresh credential replaces any earlier one (expired, or used up by failures).
                seals.lock(tx, SealedTable.DEVICE_ACTIVATION, "device_id = ?", id);
                try (PreparedStatement ps =
                    tx.prepareStatement(
                        "INSERT INTO device_activation (device_id, secret_sha256, created_at,"
                            + " expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE"
                            + " SET secret_sha256 = EXCLUDED.secret_sha256, created_at ="
                            + " EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,"
                            + " failed_attempts = 0")) {
                  ps.setString(1, id);
                  ps.setBytes(2, activation.secretSha256());
                  ps.setTimestamp(3, Timestamp.from(now));
                  ps.setTimestamp(4, Timestamp.from(activationExpires));
                  ps.executeUpdate();
                }
                seals.seal(tx, RowSeals.key(SealedTable.DEVICE_ACTIVATION, id));
              }
              Map<String, Object> detail = new java.util.LinkedHashMap<>();
              detail.put("format", format);
              detail.put("identity", identity.identity());
              // What an auditor matches each later appraisal's enrolment against (LoggedState).
              detail.put("enrolmentSha256", sha256Hex(enrolment));
              detail.put("attributes", attributes);
              if (activation != null) {
                detail.put("activationExpiresAt", activationExpires.toString());
              }
              audit.append(
                  tx,
                  new AuditEvent(
                      "device.enrolled",
                      actor,
                      "device:" + id,
                      activation == null ? "ok" : Device.PENDING,
                      detail),
                  now,
                  List.of(enrolment));
              return find(tx, id).orElseThrow();
            });
    return new Enrolment(
        device,
        activation == null
            ? null
            : new Enrolment.Activation(activation.challenge(), activationExpires));
  }

  /**
   * Enrolling a still-pending device again (same id, format and identity) renews it: the stored
   * public material and attributes are replaced and the caller stores a fresh activation. This is
   * how a device whose activation expired or failed five times gets a new credential. An active or
   * revoked device is never touched.
   *
   * @return true when a pending device was renewed
   */
  private boolean renewPending(
      Connection tx,
      String id,
      String format,
      EnrolledIdentity identity,
      Map<String, String> attributes,
      String actor,
      Instant now)
      throws SQLException {
    if (identity.activation() == null) {
      return false;
    }
    seals.lock(
        tx,
        SealedTable.DEVICE,
        "id = ? AND format = ? AND identity = ? AND status = ?",
        id,
        format,
        identity.identity(),
        Device.PENDING);
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE device SET enrolment = ?::jsonb, attributes = ?::jsonb, enrolled_at = ?,"
                + " enrolled_by = ? WHERE id = ? AND format = ? AND identity = ? AND status = ?")) {
      ps.setString(1, Json.write(identity.enrolment()));
      ps.setString(2, Json.write(attributes));
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setString(4, actor);
      ps.setString(5, id);
      ps.setString(6, format);
      ps.setString(7, identity.identity());
      ps.setString(8, Device.PENDING);
      return ps.executeUpdate() == 1;
    }
  }

  /** Failed activation attempts after which a pending enrolment is dead (enrol again). */
  static final int MAX_ACTIVATION_ATTEMPTS = 5;

  /**
   * Completes a pending enrolment: {@code secret} must be the credential secret the device's TPM
   * recovered (compared by SHA-256, in constant time). Single use: success deletes the pending
   * activation and makes the device {@code active}. Success and each refusal are audited.
   *
   * @throws ProblemException {@code enrolment/activation-not-pending} (also for an unknown device:
   *     the endpoint takes no token and must not reveal which ids exist), {@code
   *     enrolment/activation-expired}, {@code enrolment/activation-failed}
   */
  public Device activate(String id, byte[] secret, String actor, Instant now) {
    byte[] presented = Sha256.hash(secret);
    try {
      return db.inTransaction(
          tx -> {
            // Unknown, active and revoked devices answer alike: this endpoint takes no token, so
            // it must not tell a caller which device ids exist or what state they are in.
            Device device = find(tx, id).orElseThrow(() -> notPending(id));
            ActivationRow pending = lockPending(tx, device);
            pending.requireUsable(id, now);
            if (!pending.secretMatches(presented)) {
              throw new ProblemException(
                  ProblemType.ACTIVATION_FAILED,
                  "the secret is not the one the credential for device '" + id + "' holds");
            }
            markActive(tx, id);
            audit.append(
                tx,
                new AuditEvent(
                    "device.activated",
                    actor,
                    "device:" + id,
                    "ok",
                    Map.of("format", device.format(), "identity", device.identity())),
                now);
            return find(tx, id).orElseThrow();
          });
    } catch (ProblemException e) {
      if (e.type() == ProblemType.ACTIVATION_FAILED) {
        countFailedAttempt(id);
      }
      if (e.type() != ProblemType.NOT_FOUND) {
        recordRejection("device.activation-rejected", actor, id, e, Map.of(), now);
      }
      throw e;
    } finally {
      Arrays.fill(presented, (byte) 0);
    }
  }

  /** A device's pending activation row, verified against its seal. */
  private static final class ActivationRow {
    private final byte[] secretSha256;
    private final Instant expires;
    private final int failed;

    ActivationRow(byte[] secretSha256, Instant expires, int failed) {
      this.secretSha256 = secretSha256;
      this.expires = expires;
      this.failed = failed;
    }

    /** Whether {@code presented} is the SHA-256 of the credential's secret (constant time). */
    boolean secretMatches(byte[] presented) {
      return MessageDigest.isEqual(secretSha256, presented);
    }

    /** Refuses an activation past its expiry or its attempts. */
    void requireUsable(String id, Instant now) {
      if (!now.isBefore(expires) || failed >= MAX_ACTIVATION_ATTEMPTS) {
        throw new ProblemException(
            ProblemType.ACTIVATION_EXPIRED,
            "the activation of device '"
                + id
                + "' "
                + (failed >= MAX_ACTIVATION_ATTEMPTS
                    ? "failed " + failed + " times"
                    : "expired at " + expires)
                + "; enrol it again for a new credential");
      }
    }
  }

  /** Locks {@code device}'s pending activation; a device with none answers not-pending. */
  private ActivationRow lockPending(Connection tx, Device device) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT "
                + SealedTable.DEVICE_ACTIVATION.columns()
                + ", failed_attempts FROM device_activation WHERE device_id = ? FOR UPDATE")) {
      ps.setString(1, device.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !device.pending()) {
          throw notPending(device.id());
        }
        seals.verify(SealedTable.DEVICE_ACTIVATION, rs);
        return new ActivationRow(
            rs.getBytes("secret_sha256"),
            rs.getTimestamp("expires_at").toInstant(),
            rs.getInt("failed_attempts"));
      }
    }
  }

  /** Deletes the pending activation (single use) and makes the device active. */
  private void markActive(Connection tx, String id) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("DELETE FROM device_activation WHERE device_id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    seals.lock(tx, SealedTable.DEVICE, "id = ?", id);
    try (PreparedStatement ps =
        tx.prepareStatement("UPDATE device SET status = ? WHERE id = ? AND status = ?")) {
      ps.setString(1, Device.ACTIVE);
      ps.setString(2, id);
      ps.setString(3, Device.PENDING);
      ps.executeUpdate();
    }
    seals.seal(tx, RowSeals.key(SealedTable.DEVICE, id));
  }

  /** Counts a wrong secret, in its own transaction (the attempt's own rolled back). */
  private void countFailedAttempt(String id) {
    db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "UPDATE device_activation SET failed_attempts = failed_attempts + 1"
                      + " WHERE device_id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate();
          }
        });
  }

  /** Audits a refused enrolment step in a transaction of its own (the step's own rolled back). */
  private void recordRejection(
      String kind,
      String actor,
      String id,
      ProblemException e,
      Map<String, Object> extra,
      Instant now) {
    Map<String, Object> detail = new java.util.LinkedHashMap<>(extra);
    detail.put("problem", e.type().id());
    detail.put("detail", e.getMessage());
    e.extensions().forEach(detail::put);
    db.inTransaction(
        tx ->
            audit.append(
                tx, new AuditEvent(kind, actor, "device:" + id, e.type().id(), detail), now));
  }

  /** The enrolment's canonical JSON: what appraisal records and the enrolment entry name. */
  private static byte[] canonical(EnrolledIdentity identity) {
    try {
      return CanonicalJson.canonicalize(identity.enrolment());
    } catch (CanonicalJsonException e) {
      throw new IllegalStateException("an enrolment is always canonical JSON", e);
    }
  }

  private static String sha256Hex(byte[] b) {
    return Sha256.hex(b);
  }

  /** Replaces a device's attributes. */
  public Device setAttributes(
      String id, Map<String, String> attributes, String actor, Instant now) {
    return db.inTransaction(
        tx -> {
          if (seals.lock(tx, SealedTable.DEVICE, "id = ?", id).isEmpty()) {
            throw notFound(id);
          }
          try (PreparedStatement ps =
              tx.prepareStatement("UPDATE device SET attributes = ?::jsonb WHERE id = ?")) {
            ps.setString(1, Json.write(attributes));
            ps.setString(2, id);
            ps.executeUpdate();
          }
          seals.seal(tx, RowSeals.key(SealedTable.DEVICE, id));
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
          if (seals.lock(tx, SealedTable.DEVICE, "id = ?", id).isEmpty()) {
            throw notFound(id);
          }
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "UPDATE device SET status = ?, revoked_at = COALESCE(revoked_at, ?), revoked_by ="
                      + " COALESCE(revoked_by, ?) WHERE id = ?")) {
            ps.setString(1, Device.REVOKED);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, actor);
            ps.setString(4, id);
            ps.executeUpdate();
          }
          seals.seal(tx, RowSeals.key(SealedTable.DEVICE, id));
          audit.append(
              tx, new AuditEvent("device.revoked", actor, "device:" + id, "ok", Map.of()), now);
          return find(tx, id).orElseThrow();
        });
  }

  public Optional<Device> find(String id) {
    return db.read(tx -> find(tx, id));
  }

  /**
   * Reads a device inside a transaction.
   *
   * @throws ProblemException {@code state-tampered} when the stored row fails its seal
   */
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

  private static ProblemException notPending(String id) {
    return new ProblemException(
        ProblemType.ACTIVATION_NOT_PENDING,
        "no enrolment of device '" + id + "' awaits activation");
  }

  public static ProblemException notFound(String id) {
    return new ProblemException(ProblemType.NOT_FOUND, "no device '" + id + "'");
  }

  private static final String SELECT =
      "SELECT " + SealedTable.DEVICE.columns() + ", enrolled_by FROM device";

  private Device row(ResultSet rs) throws SQLException {
    seals.verify(SealedTable.DEVICE, rs);
    Timestamp revoked = rs.getTimestamp("revoked_at");
    Map<String, String> attrs =
        Json.MAPPER.convertValue(
            Json.read(rs.getString("attributes")), new TypeReference<HashMap<String, String>>() {});
    return new Device(
        rs.getString("id"),
        rs.getString("format"),
        rs.getString("identity"),
        Json.read(rs.getString("enrolment")),
        attrs,
        rs.getString("status"),
        rs.getTimestamp("enrolled_at").toInstant(),
        rs.getString("enrolled_by"),
        revoked == null ? null : revoked.toInstant());
  }
}
