// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.attestation.storage.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The blobs the log keeps by content (evidence, measurement logs, enrolments, policy documents):
 * what an auditor's replay fetches by digest, and checks against it.
 */
@ApplicationScoped
public class KeptBlobs {
  @Inject Database db;

  /** The blob whose SHA-256 is {@code sha256Hex} (64 hex digits), if the log keeps it. */
  public Optional<byte[]> find(String sha256Hex) {
    byte[] digest = HexFormat.of().parseHex(sha256Hex);
    return Optional.ofNullable(
        db.read(
            tx -> {
              try (PreparedStatement ps =
                  tx.prepareStatement("SELECT bytes FROM tlog_evidence WHERE sha256 = ?")) {
                ps.setBytes(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getBytes(1) : null;
                }
              }
            }));
  }
}
