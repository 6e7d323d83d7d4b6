package dev.arca.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.EvidenceRegistry;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.LogAuditor;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The per-entry check of {@code arca audit verify}: every entry must be canonical JSON of the audit
 * entry shape; an appraisal's kept evidence must be served and hash to the digest its entry
 * records, and its format must be one this build's evidence module verifies.
 *
 * <p>What the entry does not record cannot be re-run: the evidence's trust anchors (the device's
 * enrolment) and report-data inputs (nonce, runtime key) are not in today's entries, so the
 * signature and policy decision are not re-evaluated here (see the service README).
 */
final class AppraisalRecheck implements LogAuditor.EntryCheck {
  private final ServiceLog log;
  private final EvidenceRegistry formats = BuiltinFormats.registry();
  private long evidenceChecked;

  AppraisalRecheck(ServiceLog log) {
    this.log = log;
  }

  long evidenceChecked() {
    return evidenceChecked;
  }

  @Override
  public void check(long index, byte[] entry) throws TransparencyException {
    AuditEntry e = AuditEntry.fromLeafBytes(entry);
    JsonNode digest = e.facts().at("/detail/evidenceSha256");
    if (digest.isMissingNode()) {
      return;
    }
    String format = e.facts().at("/detail/format").asText("");
    if (formats.byName(format).isEmpty()) {
      throw new TransparencyException(
          "audit.evidence-format-unknown",
          "entry records evidence format '" + format + "', which this build does not verify");
    }
    String hex = digest.asText();
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new TransparencyException(
          "audit.evidence-digest-malformed", "evidenceSha256 is not 64 lowercase hex digits");
    }
    byte[] evidence;
    try {
      evidence = log.fetch("evidence/" + hex);
    } catch (IOException ex) {
      throw new TransparencyException(
          "audit.evidence-missing", "kept evidence " + hex + " not served: " + ex.getMessage());
    }
    byte[] actual;
    try {
      actual = MessageDigest.getInstance("SHA-256").digest(evidence);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is missing", ex);
    }
    if (!MessageDigest.isEqual(actual, HexFormat.of().parseHex(hex))) {
      throw new TransparencyException(
          "audit.evidence-mismatch",
          "kept evidence " + hex + " hashes to " + HexFormat.of().formatHex(actual));
    }
    evidenceChecked++;
  }
}
