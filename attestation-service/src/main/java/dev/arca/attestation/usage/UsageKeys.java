// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.usage;

import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The usage-report keys each device's runtimes attested: recorded in the transaction of the
 * appraisal whose report data bound the key, sealed ({@link RowSeals}), and looked up when a report
 * signed with the key arrives. A runtime keeps one key per boot, so a device has a handful.
 */
@ApplicationScoped
public class UsageKeys {
  @Inject RowSeals seals;

  /**
   * Records that {@code deviceId} attested {@code key} in the appraisal at {@code auditIndex}. A
   * key already recorded (a re-attestation of the same boot) keeps its first appraisal.
   */
  public void record(Connection tx, String deviceId, byte[] key, Instant now, long auditIndex)
      throws SQLException {
    int inserted;
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO usage_key (device_id, public_key, attested_at, audit_index)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, deviceId);
      ps.setBytes(2, key);
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setLong(4, auditIndex);
      inserted = ps.executeUpdate();
    }
    if (inserted == 1) {
      seals.seal(tx, RowSeals.key(SealedTable.USAGE_KEY, deviceId, key));
    }
  }

  /**
   * The audit index of the appraisal in which {@code deviceId} attested {@code key}, or empty when
   * it never did.
   *
   * @throws dev.arca.attestation.api.ProblemException {@code state-tampered} when the row's seal
   *     fails (inserted or changed outside the service)
   */
  public OptionalLong attestedIn(Connection tx, String deviceId, byte[] key) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT "
                + SealedTable.USAGE_KEY.columns()
                + " FROM usage_key WHERE device_id = ? AND public_key = ?")) {
      ps.setString(1, deviceId);
      ps.setBytes(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return OptionalLong.empty();
        }
        seals.verify(SealedTable.USAGE_KEY, rs);
        return OptionalLong.of(rs.getLong("audit_index"));
      }
    }
  }
}
