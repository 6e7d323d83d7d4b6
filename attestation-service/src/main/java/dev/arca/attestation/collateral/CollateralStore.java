// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.storage.Database;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.sevsnp.Product;
import dev.arca.evidence.sevsnp.TcbBaseline;
import dev.arca.evidence.sevsnp.VcekKey;
import dev.arca.evidence.tdx.TdxCollateralKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vendor collateral for SEV-SNP and TDX appraisal, uploaded by an administrator (devices and the
 * service may have no route to AMD or Intel, so nothing is fetched at appraisal): stored,
 * versioned, audited. Each item is filed by format, kind and a selection key read from its content
 * ({@link CollateralFile}); every item is kept, and per key the one its issuer made last ({@code
 * issuedAt}, then the later upload) is current, the others superseded. Choosing by the issuer's
 * date rather than the upload's means uploading an older TCB info or CRL again never rolls the
 * current one back. Uploading identical content again changes nothing.
 *
 * <p>Why the rows are sealed ({@link RowSeals}, table {@code collateral}), though every item is
 * vendor-signed and the verifier checks its signature, chain and dates at every use: a bad row
 * cannot make bad evidence pass, but a database writer could still choose what a good report is
 * appraised with. Relabelled, a genuine VCEK of another chip or TCB would be served for a report
 * (it fails the verifier's hwID check, but the device is then refused for want of its own VCEK); a
 * genuine but older TCB info, QE identity or CRL, still within its nextUpdate and given a later
 * {@code issued_at}, would become current and bring back a TCB status or revocation list Intel or
 * AMD has since replaced. The seal covers the content, the key and both dates, so such rows are
 * refused ({@code state-tampered}) instead of used. Who uploaded and when are not sealed: they only
 * describe the change, and the audit log records them.
 *
 * <p>{@link #forEvidence} is what appraisal calls: the collateral of the evidence's own chip or
 * platform, under the file names the verifiers read.
 */
@ApplicationScoped
public class CollateralStore {
  /** What an import did. */
  public record Imported(CollateralItem item, boolean alreadyPresent) {}

  private static final HexFormat HEX = HexFormat.of();
  private static final String COLUMNS =
      SealedTable.COLLATERAL.columns() + ", imported_at, imported_by";

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject RowSeals seals;

  /** A verified row, with its content. */
  private record Row(
      long id,
      String format,
      String kind,
      String key,
      String name,
      byte[] content,
      String sha256,
      Instant issuedAt,
      Instant notAfter,
      Instant importedAt,
      String importedBy) {

    CollateralItem item(Instant now, boolean superseded) {
      return new CollateralItem(
          id,
          format,
          kind,
          key,
          name,
          sha256,
          issuedAt,
          notAfter,
          importedAt,
          importedBy,
          now.isAfter(notAfter),
          superseded);
    }
  }

  /**
   * Stores one uploaded collateral file (audited as {@code collateral.imported}), or finds it when
   * the same content is already stored for the same format, kind and key.
   *
   * @param name the file's name, which tells its kind ({@link CollateralKind})
   * @throws dev.arca.attestation.api.ProblemException {@code unknown-format} or {@code
   *     collateral-invalid} ({@link CollateralFile#recognise})
   */
  public Imported importFile(
      String format, String name, byte[] content, String actor, Instant now) {
    CollateralFile file = CollateralFile.recognise(format, name, content);
    String sha256 = sha256(content);
    return db.inTransaction(
        tx -> {
          Long id = null;
          try (PreparedStatement ps =
              tx.prepareStatement(
                  "INSERT INTO collateral (format, kind, selection_key, name, content, sha256,"
                      + " issued_at, not_after, imported_at, imported_by) VALUES (?, ?, ?, ?, ?,"
                      + " ?, ?, ?, ?, ?) ON CONFLICT (format, kind, selection_key, sha256) DO NOTHING RETURNING id")) {
            ps.setString(1, format);
            ps.setString(2, file.kind().id());
            ps.setString(3, file.key());
            ps.setString(4, name);
            ps.setBytes(5, content);
            ps.setString(6, sha256);
            ps.setTimestamp(7, Timestamp.from(file.issuedAt()));
            ps.setTimestamp(8, Timestamp.from(file.notAfter()));
            ps.setTimestamp(9, Timestamp.from(now));
            ps.setString(10, actor);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                id = rs.getLong(1);
              }
            }
          }
          if (id == null) {
            Row existing =
                query(
                        tx,
                        " WHERE format = ? AND kind = ? AND selection_key = ? AND sha256 = ?",
                        format,
                        file.kind().id(),
                        file.key(),
                        sha256)
                    .stream()
                    .findFirst()
                    .orElseThrow(() -> new SQLException("collateral vanished during import"));
            return new Imported(existing.item(now, superseded(tx, existing)), true);
          }
          seals.seal(tx, RowSeals.key(SealedTable.COLLATERAL, id));
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("format", format);
          detail.put("kind", file.kind().id());
          detail.put("key", file.key());
          detail.put("name", name);
          detail.put("sha256", sha256);
          detail.put("issuedAt", file.issuedAt().toString());
          detail.put("notAfter", file.notAfter().toString());
          audit.append(
              tx,
              new AuditEvent(
                  "collateral.imported",
                  actor,
                  "collateral:" + format + "/" + file.kind().id() + "/" + file.key(),
                  "ok",
                  detail),
              now);
          Row row = query(tx, " WHERE id = ?", id).get(0);
          return new Imported(row.item(now, superseded(tx, row)), false);
        });
  }

  /** Every stored item, current and superseded, by format, kind, key and newest first. */
  public List<CollateralItem> list(Instant now) {
    return db.read(
        tx -> {
          List<CollateralItem> out = new ArrayList<>();
          String group = null;
          for (Row r :
              query(tx, " ORDER BY format, kind, selection_key, issued_at DESC, id DESC")) {
            String g = r.format() + "\n" + r.kind() + "\n" + r.key();
            out.add(r.item(now, g.equals(group)));
            group = g;
          }
          return out;
        });
  }

  /** The current item of every format, kind and key (what appraisal would use). */
  public List<CollateralItem> current(Instant now) {
    return db.read(
        tx ->
            query(
                    tx,
                    " WHERE id IN (SELECT DISTINCT ON (format, kind, selection_key) id FROM"
                        + " collateral ORDER BY format, kind, selection_key, issued_at DESC, id"
                        + " DESC) ORDER BY format, kind, selection_key")
                .stream()
                .map(r -> r.item(now, false))
                .toList());
  }

  /**
   * The collateral that {@code evidence} of {@code format} needs, under the names its verifier
   * reads:
   *
   * <ul>
   *   <li>{@code sev-snp}: {@code vcek.der} (or {@code vcek.pem}) for the report's CHIP_ID and
   *       REPORTED_TCB ({@link VcekKey}); the ASK/ARK chain of the VCEK's product as {@code
   *       cert_chain.pem}; that product's AMD CRL as {@code <product>.crl} and its TCB baseline
   *       (the one issued last) as {@code snp_tcb_baseline.json};
   *   <li>{@code tdx}: {@code tcbinfo.json} for the quote's FMSPC, {@code qeidentity.json} for
   *       {@code TD_QE}, {@code pckcrl} of the CA that issued the quote's PCK, {@code rootcrl.der}
   *       of the root its chain ends at, and the issuer chains ({@code tcbinfo_issuer_chain.pem},
   *       {@code qeidentity_issuer_chain.pem}, {@code pckcrl_issuer_chain.pem}).
   * </ul>
   *
   * Only current items, expired or not: the verifier judges their dates at the evidence's time.
   * What is not stored is left out (the verifier then names what is missing). Empty for any other
   * format, and for evidence that does not parse (the verifier reports why).
   *
   * @throws dev.arca.attestation.api.ProblemException {@code state-tampered} when a row it would
   *     use fails its seal
   */
  public Map<String, byte[]> forEvidence(String format, byte[] evidence) {
    return db.read(tx -> forEvidence(tx, format, evidence));
  }

  /**
   * {@link #forEvidence(String, byte[])} within {@code tx}: the attestation's own transaction, so
   * an appraisal takes no second connection.
   */
  public Map<String, byte[]> forEvidence(Connection tx, String format, byte[] evidence)
      throws SQLException {
    try {
      return switch (format) {
        case "sev-snp" -> sevSnp(tx, VcekKey.ofReport(evidence));
        case "tdx" -> tdx(tx, TdxCollateralKey.QuoteKeys.of(evidence));
        default -> Map.of();
      };
    } catch (EvidenceException e) {
      return Map.of();
    }
  }

  private Map<String, byte[]> sevSnp(Connection tx, VcekKey key) throws SQLException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Optional<Row> vcek = latest(tx, CollateralKind.VCEK, key.toString());
    if (vcek.isEmpty()) {
      return out;
    }
    byte[] cert = vcek.get().content();
    out.put(isPem(cert) ? "vcek.pem" : "vcek.der", cert);
    Optional<String> product = productOf(cert);
    if (product.isPresent()) {
      put(out, "cert_chain.pem", latest(tx, CollateralKind.ASK_ARK, product.get()));
      put(out, product.get() + ".crl", latest(tx, CollateralKind.AMD_CRL, product.get()));
      put(out, TcbBaseline.FILE_NAME, latest(tx, CollateralKind.TCB_BASELINE, product.get()));
    }
    return out;
  }

  private Map<String, byte[]> tdx(Connection tx, TdxCollateralKey.QuoteKeys keys)
      throws SQLException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    put(out, "tcbinfo.json", latest(tx, CollateralKind.TCB_INFO, keys.fmspc()));
    put(out, "qeidentity.json", latest(tx, CollateralKind.QE_IDENTITY, "TD_QE"));
    put(out, "pckcrl", latest(tx, CollateralKind.PCK_CRL, keys.pckIssuer()));
    put(out, "rootcrl.der", latest(tx, CollateralKind.ROOT_CRL, keys.root()));
    put(out, "tcbinfo_issuer_chain.pem", latest(tx, CollateralKind.ISSUER_CHAIN, "tcb-info"));
    put(out, "qeidentity_issuer_chain.pem", latest(tx, CollateralKind.ISSUER_CHAIN, "qe-identity"));
    put(out, "pckcrl_issuer_chain.pem", latest(tx, CollateralKind.ISSUER_CHAIN, "pck-crl"));
    return out;
  }

  private static void put(Map<String, byte[]> out, String name, Optional<Row> row) {
    row.ifPresent(r -> out.put(name, r.content()));
  }

  /** The product of a stored VCEK (its issuer, the ASK, names it), for its chain and CRL. */
  private static Optional<String> productOf(byte[] vcek) {
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(vcek));
      return Optional.of(VcekKey.productOf(cert))
          .map(Product::displayName)
          .map(n -> n.toLowerCase(Locale.ROOT));
    } catch (CertificateException | EvidenceException e) {
      return Optional.empty();
    }
  }

  private static boolean isPem(byte[] content) {
    return new String(content, 0, Math.min(content.length, 64), StandardCharsets.ISO_8859_1)
        .contains("-----BEGIN");
  }

  private Optional<Row> latest(Connection tx, CollateralKind kind, String key) throws SQLException {
    return query(
            tx,
            " WHERE format = ? AND kind = ? AND selection_key = ?"
                + " ORDER BY issued_at DESC, id DESC LIMIT 1",
            kind.format(),
            kind.id(),
            key)
        .stream()
        .findFirst();
  }

  private static boolean superseded(Connection tx, Row row) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT 1 FROM collateral WHERE format = ? AND kind = ? AND selection_key = ?"
                + " AND (issued_at > ? OR (issued_at = ? AND id > ?)) LIMIT 1")) {
      ps.setString(1, row.format());
      ps.setString(2, row.kind());
      ps.setString(3, row.key());
      ps.setTimestamp(4, Timestamp.from(row.issuedAt()));
      ps.setTimestamp(5, Timestamp.from(row.issuedAt()));
      ps.setLong(6, row.id());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Rows of {@code SELECT <columns> FROM collateral<where>}, each verified against its seal. */
  private List<Row> query(Connection tx, String where, Object... args) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT " + COLUMNS + " FROM collateral" + where)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seals.verify(SealedTable.COLLATERAL, rs);
          out.add(
              new Row(
                  rs.getLong("id"),
                  rs.getString("format"),
                  rs.getString("kind"),
                  rs.getString("selection_key"),
                  rs.getString("name"),
                  rs.getBytes("content"),
                  rs.getString("sha256"),
                  rs.getTimestamp("issued_at").toInstant(),
                  rs.getTimestamp("not_after").toInstant(),
                  rs.getTimestamp("imported_at").toInstant(),
                  rs.getString("imported_by")));
        }
      }
      return out;
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
