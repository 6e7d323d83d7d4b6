package dev.arca.cli.audit;

import dev.arca.appraisal.AppraisalReplay;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.LogAuditor;

/**
 * The per-entry check of {@code arca audit verify}: every entry must be canonical JSON of the audit
 * entry shape, and every appraisal entry ({@code attestation.appraised}, {@code
 * attestation.rejected}) is re-run by {@link AppraisalReplay} (module {@code audit}): the kept
 * evidence, enrolment and policy document are fetched by digest from the service's
 * content-addressed store, the evidence is re-verified with the {@code evidence} module and each
 * decision re-decided with the {@code policy} module at the recorded policy version.
 */
final class AppraisalRecheck implements LogAuditor.EntryCheck {
  private final AppraisalReplay replay;
  private long decisions;
  private long evidenceOnly;
  private long recordedOnly;

  AppraisalRecheck(ServiceLog log) {
    this.replay = new AppraisalReplay(hex -> log.fetch("evidence/" + hex));
  }

  /** Appraisals whose evidence and every policy decision re-verified. */
  long decisionsReplayed() {
    return decisions;
  }

  /** Rejections whose evidence was re-verified (and the rejection reproduced). */
  long evidenceReplayed() {
    return evidenceOnly;
  }

  /** Rejections before any evidence was looked at: nothing to re-run. */
  long recordedOnly() {
    return recordedOnly;
  }

  @Override
  public void check(long index, byte[] entry) throws TransparencyException {
    AuditEntry e = AuditEntry.fromLeafBytes(entry);
    switch (replay.replay(
        e.type(), e.facts().path("outcome").asText(""), e.facts().get("detail"))) {
      case DECISION -> decisions++;
      case EVIDENCE -> evidenceOnly++;
      case RECORDED -> recordedOnly++;
      case NONE -> {}
    }
  }
}
