package dev.arca.attestation.audit;

import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** {@link AuditLog} as rows of {@code audit_entry}, appended in the caller's transaction. */
@ApplicationScoped
public class TableAuditLog implements AuditLog {

  @Override
  public AuditReceipt append(Connection tx, AuditEvent e, Instant time) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO audit_entry (kind, actor, subject, outcome, detail, created_at)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?) RETURNING seq")) {
      ps.setString(1, e.kind());
      ps.setString(2, e.actor());
      ps.setString(3, e.subject());
      ps.setString(4, e.outcome());
      ps.setString(5, Json.write(e.detail()));
      ps.setTimestamp(6, Timestamp.from(time));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new AuditReceipt(rs.getLong(1));
      }
    }
  }
}
