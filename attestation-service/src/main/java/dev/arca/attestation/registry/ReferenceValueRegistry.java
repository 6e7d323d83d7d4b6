// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.arca.appraisal.ReferenceSet;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Versioned reference values; every version is kept, appraisal uses the newest per name. */
@ApplicationScoped
public class ReferenceValueRegistry {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject RowSeals seals;

  /** Adds the next version of {@code name}. */
  public ReferenceValues put(
      String name,
      String format,
      String subject,
      Map<String, List<String>> measurements,
      String actor,
      Instant now) {
    if (!subject.matches("(class|device|model):[A-Za-z0-9._:-]+")) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "subject must be class:<device class>, device:<id> or model:<id>");
    }
    Map<String, List<String>> normal = new TreeMap<>();
    measurements.forEach(
        (k, v) -> {
          for (String hex : v) {
            if (!hex.matches("[0-9a-fA-F]{2,256}")) {
              throw new ProblemException(
                  ProblemType.INVALID_REQUEST, "measurement '" + k + "' values must be hex");
            }
          }
          normal.put(k, v.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        });
    return db.inTransaction(
        tx -> {
          int version;
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "SELECT COALESCE(MAX(version), 0) + 1 FROM reference_value WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              version = rs.getInt(1);
            }
          }
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "INSERT INTO reference_value (name, version, format, subject, measurements,"
                      + " created_at, created_by) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            ps.setString(3, format);
            ps.setString(4, subject);
            ps.setString(5, Json.write(normal));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, actor);
            ps.executeUpdate();
          }
          seals.seal(tx, RowSeals.key(SealedTable.REFERENCE_VALUE, name, version));
          audit.append(
              tx,
              new AuditEvent(
                  "reference-values.added",
                  actor,
                  "reference-values:" + name + "@" + version,
                  "ok",
                  Map.of("format", format, "subject", subject, "measurements", normal)),
              now);
          return new ReferenceValues(name, version, format, subject, normal, now, actor);
        });
  }

  /** Every version of {@code name}, newest first. */
  public List<ReferenceValues> versions(String name) {
    return db.read(tx -> query(tx, SELECT + " WHERE name = ? ORDER BY version DESC", name));
  }

  /** The newest version of every set. */
  public List<ReferenceValues> latestAll() {
    return db.read(tx -> query(tx, LATEST + " ORDER BY name"));
  }

  /**
   * The newest version of every set for {@code device}'s evidence format whose subject is the
   * device ({@code device:<id>}) or its class attribute ({@code class:<class>}), by content.
   */
  public List<ReferenceSet> applicable(Connection tx, Device device) throws SQLException {
    List<String> subjects = new ArrayList<>();
    subjects.add("device:" + device.id());
    String cls = device.attributes().get("class");
    if (cls != null) {
      subjects.add("class:" + cls);
    }
    List<ReferenceSet> out = new ArrayList<>();
    for (ReferenceValues r : query(tx, LATEST + " WHERE format = ?", device.format())) {
      if (subjects.contains(r.subject())) {
        out.add(new ReferenceSet(r.name(), r.version(), r.format(), r.subject(), r.measurements()));
      }
    }
    return out;
  }

  private static final String COLUMNS =
      SealedTable.REFERENCE_VALUE.columns() + ", created_at, created_by";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM reference_value";
  private static final String LATEST =
      "SELECT * FROM (SELECT DISTINCT ON (name) "
          + COLUMNS
          + " FROM reference_value ORDER BY name, version DESC) latest";

  /** Rows of {@code sql}, each verified against its seal. */
  private List<ReferenceValues> query(Connection tx, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<ReferenceValues> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seals.verify(SealedTable.REFERENCE_VALUE, rs);
          out.add(
              new ReferenceValues(
                  rs.getString("name"),
                  rs.getInt("version"),
                  rs.getString("format"),
                  rs.getString("subject"),
                  Json.MAPPER.convertValue(
                      Json.read(rs.getString("measurements")),
                      new TypeReference<TreeMap<String, List<String>>>() {}),
                  rs.getTimestamp("created_at").toInstant(),
                  rs.getString("created_by")));
        }
      }
      return out;
    }
  }
}
