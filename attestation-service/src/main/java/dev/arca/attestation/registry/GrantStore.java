// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Grants issued to attested runtimes: recorded (and sealed, {@link RowSeals}) with the decision,
 * checked for downloads. A grant row written or changed with SQL is refused as {@code
 * state-tampered}, and the holder's device row is read through its own seal.
 */
@ApplicationScoped
public class GrantStore {

  @Inject Database db;
  @Inject RowSeals seals;
  @Inject DeviceRegistry devices;

  /** Records a grant inside the decision's transaction. */
  public void record(
      Connection tx,
      UUID id,
      String deviceId,
      String modelId,
      long version,
      byte[] runtimeKey,
      Instant expiresAt,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO key_grant (id, device_id, model_id, version, runtime_key, expires_at,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, id);
      ps.setString(2, deviceId);
      ps.setString(3, modelId);
      ps.setLong(4, version);
      ps.setBytes(5, runtimeKey);
      ps.setTimestamp(6, Timestamp.from(expiresAt));
      ps.setTimestamp(7, Timestamp.from(now));
      ps.executeUpdate();
    }
    seals.seal(tx, RowSeals.key(SealedTable.KEY_GRANT, id));
  }

  /**
   * Checks that {@code grantId} is an unexpired grant for {@code modelId@version} held by a device
   * that is not revoked.
   *
   * @throws ProblemException {@link ProblemType#GRANT_REQUIRED}
   */
  public void requireValid(String grantId, String modelId, long version, Instant now) {
    UUID id;
    try {
      id = UUID.fromString(grantId == null ? "" : grantId.trim());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.GRANT_REQUIRED, "send the grant id from your attestation in Arca-Grant");
    }
    boolean ok = db.read(tx -> holds(tx, id, modelId, version, now));
    if (!ok) {
      throw new ProblemException(
          ProblemType.GRANT_REQUIRED,
          "no valid grant for this model version; attest again to get one");
    }
  }

  /**
   * Whether grant {@code id}, its seal checked, opens {@code modelId@version} for an active device.
   */
  private boolean holds(Connection tx, UUID id, String modelId, long version, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT " + SealedTable.KEY_GRANT.columns() + " FROM key_grant WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        seals.verify(SealedTable.KEY_GRANT, rs);
        return rs.getString("model_id").equals(modelId)
            && rs.getLong("version") == version
            && rs.getTimestamp("expires_at").toInstant().isAfter(now)
            && devices.find(tx, rs.getString("device_id")).filter(Device::active).isPresent();
      }
    }
  }
}
