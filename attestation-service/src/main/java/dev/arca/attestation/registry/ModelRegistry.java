// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.Identifiers;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.storage.Json;
import dev.arca.attestation.storage.PrivateDirectories;
import dev.arca.crypto.Sha256;
import dev.arca.crypto.kek.KekException;
import dev.arca.crypto.kek.KeyEncryptionKey;
import dev.arca.crypto.kek.WrappedDataKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.SealException;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.SealedModelReader;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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
  @Inject PublisherKeyRegistry publishers;
  @Inject RowSeals seals;

  @ConfigProperty(name = "arca.resolved-data-dir")
  String dataDir;

  @ConfigProperty(name = "arca.models.max-package-bytes", defaultValue = "2G")
  MemorySize maxPackage;

  /**
   * Publishes a version: streams {@code body} (a sealed package) to the package store, refusing
   * more than the limit; reads its header, which must carry a manifest for {@code modelId} signed
   * by a trusted publisher key, and checks that {@code dataKey} is the package's key; wraps the
   * data key under the KEK; records the version. The ciphertext itself is authenticated by the
   * runtime when it opens the package.
   *
   * @throws ProblemException {@code model-package-invalid} (not a package, untrusted or bad
   *     signature, another model, wrong data key), {@code body-too-large}, {@code conflict}
   *     (version not higher than the newest)
   */
  public ModelVersion publish(
      String modelId, DataKey dataKey, InputStream body, String actor, Instant now) {
    try {
      Path dir = packageDir(modelId);
      PrivateDirectories.create(dir);
      Path tmp = Files.createTempFile(dir, "upload-", ".part");
      try {
        Upload upload = receive(body, tmp);
        Manifest manifest = verifiedManifest(modelId, tmp, dataKey);
        byte[] wrapped = wrap(dataKey, modelId, manifest);
        Path target = dir.resolve(manifest.version() + ".sealed");
        return db.inTransaction(
            tx -> {
              lockNewer(tx, modelId, manifest.version());
              insert(tx, manifest, wrapped, upload, target, actor, now);
              // Move inside the transaction: a failed move rolls the row back.
              try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              audit.append(tx, published(manifest, upload, actor), now);
              return find(tx, modelId, manifest.version()).orElseThrow();
            });
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the package", e);
    }
  }

  /** A package received in full: its size and SHA-256 (hex). */
  private record Upload(long size, String sha256) {}

  /** The folder of {@code modelId}'s packages, which must be one folder under the store. */
  private Path packageDir(String modelId) {
    Path root = Path.of(dataDir, "packages").toAbsolutePath().normalize();
    Path dir = root.resolve(Identifiers.requireName("model id", modelId)).normalize();
    if (!dir.getParent().equals(root)) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "model id must name one folder");
    }
    return dir;
  }

  /** Streams {@code body} to {@code file}, refusing more than the package limit. */
  private Upload receive(InputStream body, Path file) throws IOException {
    MessageDigest packageDigest = Sha256.newDigest();
    long size = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
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
    return new Upload(size, HexFormat.of().formatHex(packageDigest.digest()));
  }

  /** The data key wrapped under the KEK, bound to the model, version and manifest digest. */
  private byte[] wrap(DataKey dataKey, String modelId, Manifest manifest) {
    try {
      return WrappedDataKey.wrap(
              dataKey,
              kek,
              WrappedDataKey.modelBinding(modelId, manifest.version(), manifest.digest()))
          .toJson()
          .getBytes(StandardCharsets.UTF_8);
    } catch (KekException | SealException e) {
      throw new IllegalStateException("the KEK cannot wrap the data key (" + e.id() + ")", e);
    }
  }

  /** Serialises publishers of one model and refuses a version not above the newest. */
  private static void lockNewer(Connection tx, String modelId, long version) throws SQLException {
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
  }

  private void insert(
      Connection tx,
      Manifest manifest,
      byte[] wrapped,
      Upload upload,
      Path target,
      String actor,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO model_version (model_id, version, manifest,"
                + " manifest_digest, wrapped_data_key, package_path, package_size,"
                + " package_sha256, status, published_at, published_by)"
                + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, manifest.modelId());
      ps.setLong(2, manifest.version());
      ps.setString(3, new String(manifest.encoded(), StandardCharsets.UTF_8));
      ps.setBytes(4, manifest.digest());
      ps.setBytes(5, wrapped);
      ps.setString(6, target.toString());
      ps.setLong(7, upload.size());
      ps.setBytes(8, HexFormat.of().parseHex(upload.sha256()));
      ps.setString(9, ModelVersion.PUBLISHED);
      ps.setTimestamp(10, Timestamp.from(now));
      ps.setString(11, actor);
      ps.executeUpdate();
    }
    seals.seal(tx, RowSeals.key(SealedTable.MODEL_VERSION, manifest.modelId(), manifest.version()));
  }

  private static AuditEvent published(Manifest manifest, Upload upload, String actor) {
    return new AuditEvent(
        "model.published",
        actor,
        "model:" + manifest.modelId() + "@" + manifest.version(),
        "ok",
        Map.of(
            "manifestDigest", HexFormat.of().formatHex(manifest.digest()),
            "publisherKeyId", manifest.publisherKeyId(),
            "packageSha256", upload.sha256(),
            "packageSize", upload.size()));
  }

  /** Reads and verifies the header of the uploaded package in {@code file}. */
  private Manifest verifiedManifest(String modelId, Path file, DataKey dataKey) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      SealedModelReader reader = SealedModel.read(in, publishers.ring());
      Manifest manifest = reader.manifest();
      if (!modelId.equals(manifest.modelId())) {
        throw new ProblemException(
            ProblemType.MODEL_PACKAGE_INVALID,
            "the package is for model '" + manifest.modelId() + "', not '" + modelId + "'",
            Map.of("reason", "model-id-mismatch"));
      }
      reader.requireDataKey(dataKey);
      return manifest;
    } catch (SealException e) {
      throw new ProblemException(
          ProblemType.MODEL_PACKAGE_INVALID, e.getMessage(), Map.of("reason", e.id()));
    }
  }

  /** Revokes one version: no new grants, no downloads. Idempotent. */
  public ModelVersion revoke(String modelId, long version, String actor, Instant now) {
    return db.inTransaction(
        tx -> {
          if (seals
              .lock(tx, SealedTable.MODEL_VERSION, "model_id = ? AND version = ?", modelId, version)
              .isEmpty()) {
            throw notFound(modelId, version);
          }
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "UPDATE model_version SET status = ?, revoked_at = COALESCE(revoked_at, ?)"
                      + " WHERE model_id = ? AND version = ?")) {
            ps.setString(1, ModelVersion.REVOKED);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, modelId);
            ps.setLong(4, version);
            ps.executeUpdate();
          }
          seals.seal(tx, RowSeals.key(SealedTable.MODEL_VERSION, modelId, version));
          audit.append(
              tx,
              new AuditEvent(
                  "model.revoked", actor, "model:" + modelId + "@" + version, "ok", Map.of()),
              now);
          return find(tx, modelId, version).orElseThrow();
        });
  }

  /** Unwraps the data key of {@code mv}; the caller destroys it. */
  public DataKey dataKey(ModelVersion mv) {
    try {
      return WrappedDataKey.fromJson(new String(mv.wrappedDataKey(), StandardCharsets.UTF_8))
          .unwrap(
              kek,
              WrappedDataKey.modelBinding(
                  mv.modelId(), mv.version(), HexFormat.of().parseHex(mv.manifestDigest())));
    } catch (KekException | SealException e) {
      throw new IllegalStateException(
          "the data key of " + mv + " does not open under the KEK (" + e.id() + ")", e);
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

  public static ProblemException notFound(String modelId, long version) {
    return new ProblemException(
        ProblemType.NOT_FOUND, "no model " + modelId + " version " + version);
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

  private static final String COLUMNS =
      SealedTable.MODEL_VERSION.columns() + ", published_at, published_by";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM model_version";

  /** Rows of {@code sql}, each verified against its seal. */
  private List<ModelVersion> query(Connection tx, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<ModelVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seals.verify(SealedTable.MODEL_VERSION, rs);
          Timestamp rev = rs.getTimestamp("revoked_at");
          out.add(
              new ModelVersion(
                  rs.getString("model_id"),
                  rs.getLong("version"),
                  Json.read(rs.getString("manifest")),
                  HexFormat.of().formatHex(rs.getBytes("manifest_digest")),
                  rs.getBytes("wrapped_data_key"),
                  rs.getString("package_path"),
                  rs.getLong("package_size"),
                  HexFormat.of().formatHex(rs.getBytes("package_sha256")),
                  rs.getString("status"),
                  rs.getTimestamp("published_at").toInstant(),
                  rs.getString("published_by"),
                  rev == null ? null : rev.toInstant()));
        }
      }
      return out;
    }
  }
}
