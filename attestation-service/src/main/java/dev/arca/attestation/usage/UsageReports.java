// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.usage;

import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.storage.Database;
import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.evidence.usage.UsageReport;
import dev.arca.evidence.usage.UsageReportException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Takes a device's signed usage reports into the audit log. Each report must decode, carry a valid
 * signature of the usage key it names, name this device, and that key must be one this device's
 * runtime attested (its appraisal's report data bound it: {@link UsageKeys}). An accepted report is
 * one {@value #KIND} entry, in the same transaction as its digest, so a report uploaded twice is
 * logged once.
 */
@ApplicationScoped
public class UsageReports {
  /** The audit entry kind of an accepted report. */
  public static final String KIND = "usage.reported";

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject UsageKeys keys;
  @Inject MeterRegistry meters;
  @Inject Clock clock;

  /** Takes {@code upload} from {@code deviceId}, each report on its own. */
  public UsageResult accept(String deviceId, UsageUpload upload) {
    List<UsageResult.Outcome> out = new ArrayList<>();
    for (UsageUpload.Signed s : upload.reports()) {
      UsageResult.Outcome o = accept(deviceId, s);
      meters.counter("arca.usage.reports", "outcome", o.outcome()).increment();
      out.add(o);
    }
    return new UsageResult(out);
  }

  private UsageResult.Outcome accept(String deviceId, UsageUpload.Signed s) {
    SignedUsageReport signed;
    try {
      signed =
          new SignedUsageReport(
              Base64.getDecoder().decode(s.report()), Base64.getDecoder().decode(s.signature()));
    } catch (IllegalArgumentException e) {
      return rejected("", "report and signature must be standard base64");
    }
    String digest = HexFormat.of().formatHex(signed.digest());
    UsageReport report;
    try {
      report = signed.verified();
    } catch (UsageReportException e) {
      return rejected(digest, e.getMessage());
    }
    if (!report.deviceId().equals(deviceId)) {
      return rejected(digest, "the report is device " + report.deviceId() + "'s");
    }
    return db.inTransaction(tx -> record(tx, deviceId, digest, signed, report));
  }

  private UsageResult.Outcome record(
      Connection tx, String deviceId, String digest, SignedUsageReport signed, UsageReport report)
      throws SQLException {
    OptionalLong attestedIn = keys.attestedIn(tx, deviceId, report.usageKey());
    if (attestedIn.isEmpty()) {
      return rejected(digest, "its usage key was never attested by device " + deviceId);
    }
    if (!claim(tx, deviceId, signed.digest())) {
      return new UsageResult.Outcome(
          digest, UsageResult.DUPLICATE, null, loggedAt(tx, signed.digest()));
    }
    long index =
        audit
            .append(
                tx,
                event(deviceId, digest, signed, report, attestedIn.getAsLong()),
                clock.instant())
            .sequence();
    try (PreparedStatement ps =
        tx.prepareStatement("UPDATE usage_report SET audit_index = ? WHERE digest = ?")) {
      ps.setLong(1, index);
      ps.setBytes(2, signed.digest());
      ps.executeUpdate();
    }
    return new UsageResult.Outcome(digest, UsageResult.ACCEPTED, null, index);
  }

  /**
   * Claims the report's digest before its entry is written; false when it was claimed before. A
   * second upload of the same report racing this one waits on the digest's key until this
   * transaction ends, then finds it claimed: one entry per report.
   */
  private boolean claim(Connection tx, String deviceId, byte[] digest) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO usage_report (digest, device_id, received_at, audit_index)"
                + " VALUES (?, ?, ?, -1) ON CONFLICT DO NOTHING")) {
      ps.setBytes(1, digest);
      ps.setString(2, deviceId);
      ps.setTimestamp(3, Timestamp.from(clock.instant()));
      return ps.executeUpdate() == 1;
    }
  }

  /** The audit index of the entry of an earlier upload of the report with {@code digest}. */
  private static long loggedAt(Connection tx, byte[] digest) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT audit_index FROM usage_report WHERE digest = ?")) {
      ps.setBytes(1, digest);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The entry: the counts to read, and the signed bytes with the appraisal that attested their key,
   * so an auditor can check the signature without trusting the service's reading of them.
   */
  private static AuditEvent event(
      String deviceId,
      String digest,
      SignedUsageReport signed,
      UsageReport report,
      long attestedIn) {
    List<Map<String, Object>> counts = new ArrayList<>();
    for (UsageReport.Count c : report.counts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", c.modelId());
      m.put("version", c.version());
      m.put("dataClass", c.dataClass());
      m.put("served", c.served());
      m.put("refused", c.refused());
      counts.add(m);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reportSha256", digest);
    detail.put("from", report.from().toString());
    detail.put("to", report.to().toString());
    detail.put("served", report.served());
    detail.put("refused", report.refused());
    detail.put("dropped", report.dropped());
    detail.put("counts", counts);
    List<Map<String, Object>> unloaded = new ArrayList<>();
    for (UsageReport.Unloaded u : report.unloaded()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", u.modelId());
      m.put("version", u.version());
      m.put("at", u.at().toString());
      m.put("reason", u.reason());
      unloaded.add(m);
    }
    detail.put("unloaded", unloaded);
    detail.put("usageKey", b64.encodeToString(report.usageKey()));
    detail.put("attestedIn", attestedIn);
    detail.put("report", b64.encodeToString(signed.report()));
    detail.put("signature", b64.encodeToString(signed.signature()));
    return new AuditEvent(KIND, "device:" + deviceId, "device:" + deviceId, "ok", detail);
  }

  private static UsageResult.Outcome rejected(String digest, String reason) {
    return new UsageResult.Outcome(digest, UsageResult.REJECTED, reason, null);
  }
}
