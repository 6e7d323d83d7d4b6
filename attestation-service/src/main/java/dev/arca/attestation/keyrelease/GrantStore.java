// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
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

/** Grants issued to attested runtimes: recorded with the decision, checked for downloads. */
@ApplicationScoped
public class GrantStore {

  @Inject Database db;

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
    boolean ok =
        db.read(
            tx -> {
              try (PreparedStatement ps =
                  tx.prepareStatement(
                      "SELECT 1 FROM key_grant g JOIN device d ON d.id = g.device_id"
                          + " WHERE g.id = ? AND g.model_id = ? AND g.version = ?"
                          + " AND g.expires_at > ? AND d.status = 'active'")) {
                ps.setObject(1, id);
                ps.setString(2, modelId);
                ps.setLong(3, version);
                ps.setTimestamp(4, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next();
                }
              }
            });
    if (!ok) {
      throw new ProblemException(
          ProblemType.GRANT_REQUIRED,
          "no valid grant for this model version; attest again to get one");
    }
  }
}
