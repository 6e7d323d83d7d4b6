package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.keyrelease.KeyEncryptionKey;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.storage.Json;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sealed model packages: streaming upload with a size limit, versions that only go up, revocation
 * of a version, and the stored package for ranged download. The package bytes stay sealed; the data
 * key is wrapped under the KEK immediately and the plaintext copy wiped.
 */
@ApplicationScoped
public class ModelRegistry {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject KeyEncryptionKey kek;

  @ConfigProperty(name = "arca.resolved-data-dir")
  String dataDir;

  @ConfigProperty(name = "arca.models.max-package-bytes", defaultValue = "2G")
  MemorySize maxPackage;

  /**
   * Publishes a version: streams {@code body} to the package store (refusing more than the limit),
   * wraps {@code dataKey} under the KEK (then wipes it), records the version.
   *
   * @param manifestBytes the manifest JSON: {@code modelId}, {@code version}, {@code dataClasses}
   * @throws ProblemException {@code model-package-invalid}, {@code body-too-large}, {@code
   *     conflict} (version not higher than the newest)
   */
  public ModelVersion publish(
      String modelId,
      byte[] manifestBytes,
      byte[] dataKey,
      InputStream body,
      String actor,
      Instant now) {
    try {
      JsonNode manifest = parseManifest(modelId, manifestBytes);
      long version = manifest.get("version").asLong();
      String manifestDigest = HexFormat.of().formatHex(sha256().digest(manifestBytes));
      Path dir = Path.of(dataDir, "packages", modelId);
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "upload-", ".part");
      MessageDigest packageDigest = sha256();
      long size = 0;
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = body.read(buf)) > 0) {
            size += n;
            if (size > maxPackage.asLongValue()) {
              throw new ProblemException(
                  ProblemType.BODY_TOO_LARGE,
                  "the package is larger than " + maxPackage.asLongValue() + " bytes");
            }
            packageDigest.update(buf, 0, n);
            out.write(buf, 0, n);
          }
        }
        if (size == 0) {
          throw new ProblemException(ProblemType.MODEL_PACKAGE_INVALID, "the package is empty");
        }
        byte[] aad = aad(modelId, version, manifestDigest);
        byte[] wrapped = kek.wrap(dataKey, aad);
        Path target = dir.resolve(version + ".sealed");
        long finalSize = size;
        String pkgSha = HexFormat.of().formatHex(packageDigest.digest());
        ModelVersion mv =
            db.inTransaction(
                tx -> {
                  try (PreparedStatement lock =
                      tx.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "model:" + modelId);
                    lock.execute();
                  }
                  long newest = newestVersion(tx, modelId);
                  if (version <= newest) {
                    throw new ProblemException(
                        ProblemType.CONFLICT,
                        "version " + version + " is not higher than the newest (" + newest + ")");
                  }
                  try (PreparedStatement ps =
                      tx.prepareStatement(
                          "INSERT INTO model_version (model_id, version, manifest,"
                              + " manifest_digest, wrapped_data_key, package_path, package_size,"
                              + " package_sha256, status, published_at, published_by)"
                              + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, modelId);
                    ps.setLong(2, version);
                    ps.setString(3, new String(manifestBytes, StandardCharsets.UTF_8));
                    ps.setBytes(4, HexFormat.of().parseHex(manifestDigest));
                    ps.setBytes(5, wrapped);
                    ps.setString(6, target.toString());
                    ps.setLong(7, finalSize);
                    ps.setBytes(8, HexFormat.of().parseHex(pkgSha));
                    ps.setString(9, ModelVersion.PUBLISHED);
                    ps.setTimestamp(10, Timestamp.from(now));
                    ps.setString(11, actor);
                    ps.executeUpdate();
                  }
                  // Move inside the transaction: a failed move rolls the row back.
                  try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  audit.append(
                      tx,
                      new AuditEvent(
                          "model.published",
                          actor,
                          "model:" + modelId + "@" + version,
                          "ok",
                          Map.of(
                              "manifestDigest", manifestDigest,
                              "packageSha256", pkgSha,
                              "packageSize", finalSize)),
                      now);
                  return find(tx, modelId, version).orElseThrow();
                });
        return mv;
      } finally {
        Arrays.fill(dataKey, (byte) 0);
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the package", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("KEK cannot wrap the data key", e);
    }
  }

  /** Revokes one version: no new grants, no downloads. Idempotent. */
  public ModelVersion revoke(String modelId, long version, String actor, Instant now) {
    return db.inTransaction(
        tx -> {
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "UPDATE model_version SET status = ?, revoked_at = COALESCE(revoked_at, ?)"
                      + " WHERE model_id = ? AND version = ?")) {
            ps.setString(1, ModelVersion.REVOKED);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, modelId);
            ps.setLong(4, version);
            if (ps.executeUpdate() == 0) {
              throw notFound(modelId, version);
            }
          }
          audit.append(
              tx,
              new AuditEvent(
                  "model.revoked", actor, "model:" + modelId + "@" + version, "ok", Map.of()),
              now);
          return find(tx, modelId, version).orElseThrow();
        });
  }

  /** Unwraps the data key of {@code mv}; the caller wipes it. */
  public byte[] dataKey(ModelVersion mv) {
    try {
      return kek.unwrap(mv.wrappedDataKey(), aad(mv.modelId(), mv.version(), mv.manifestDigest()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the data key of " + mv + " does not open under the KEK", e);
    }
  }

  public Optional<ModelVersion> find(String modelId, long version) {
    return db.read(tx -> find(tx, modelId, version));
  }

  public Optional<ModelVersion> find(Connection tx, String modelId, long version)
      throws SQLException {
    List<ModelVersion> l =
        query(tx, SELECT + " WHERE model_id = ? AND version = ?", modelId, version);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** The newest non-revoked version of {@code modelId}. */
  public Optional<ModelVersion> newestPublished(Connection tx, String modelId) throws SQLException {
    List<ModelVersion> l =
        query(
            tx,
            SELECT + " WHERE model_id = ? AND status = ? ORDER BY version DESC LIMIT 1",
            modelId,
            ModelVersion.PUBLISHED);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  public List<ModelVersion> versions(String modelId) {
    return db.read(tx -> query(tx, SELECT + " WHERE model_id = ? ORDER BY version DESC", modelId));
  }

  public List<ModelVersion> latestAll() {
    return db.read(
        tx ->
            query(
                tx,
                "SELECT * FROM (SELECT DISTINCT ON (model_id) "
                    + COLUMNS
                    + " FROM model_version ORDER BY model_id, version DESC) m ORDER BY model_id"));
  }

  static ProblemException notFound(String modelId, long version) {
    return new ProblemException(
        ProblemType.NOT_FOUND, "no model " + modelId + " version " + version);
  }

  private static JsonNode parseManifest(String modelId, byte[] bytes) {
    JsonNode m;
    try {
      m = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new ProblemException(ProblemType.MODEL_PACKAGE_INVALID, "the manifest is not JSON");
    }
    if (m == null || !m.isObject()) {
      throw new ProblemException(
          ProblemType.MODEL_PACKAGE_INVALID, "the manifest is not an object");
    }
    if (!modelId.equals(m.path("modelId").asText())) {
      throw new ProblemException(
          ProblemType.MODEL_PACKAGE_INVALID, "manifest.modelId differs from the URL's model id");
    }
    if (!m.path("version").canConvertToLong() || m.path("version").asLong() < 1) {
      throw new ProblemException(
          ProblemType.MODEL_PACKAGE_INVALID, "manifest.version must be a positive integer");
    }
    if (!m.path("dataClasses").isArray()) {
      throw new ProblemException(
          ProblemType.MODEL_PACKAGE_INVALID, "manifest.dataClasses must be a list");
    }
    return m;
  }

  private static long newestVersion(Connection tx, String modelId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT COALESCE(MAX(version), 0) FROM model_version WHERE model_id = ?")) {
      ps.setString(1, modelId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static byte[] aad(String modelId, long version, String manifestDigest) {
    return ("arca model data key\n" + modelId + "\n" + version + "\n" + manifestDigest)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String COLUMNS =
      "model_id, version, manifest, manifest_digest, wrapped_data_key, package_path,"
          + " package_size, package_sha256, status, published_at, published_by, revoked_at";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM model_version";

  private static List<ModelVersion> query(Connection tx, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<ModelVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp rev = rs.getTimestamp(12);
          out.add(
              new ModelVersion(
                  rs.getString(1),
                  rs.getLong(2),
                  Json.read(rs.getString(3)),
                  HexFormat.of().formatHex(rs.getBytes(4)),
                  rs.getBytes(5),
                  rs.getString(6),
                  rs.getLong(7),
                  HexFormat.of().formatHex(rs.getBytes(8)),
                  rs.getString(9),
                  rs.getTimestamp(10).toInstant(),
                  rs.getString(11),
                  rev == null ? null : rev.toInstant()));
        }
      }
      return out;
    }
  }
}
