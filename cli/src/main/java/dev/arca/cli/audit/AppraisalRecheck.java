// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.LoggedState;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.LogAuditor;

/**
 * The per-entry check of {@code arca audit verify}: every entry must be canonical JSON of the audit
 * entry shape, and every appraisal entry ({@code attestation.appraised}, {@code
 * attestation.rejected}) is re-run by {@link AppraisalReplay} (module {@code audit}): the kept
 * evidence, enrolment and policy document are fetched by digest from the service's
 * content-addressed store (or the export of it), the evidence is re-verified with the {@code
 * evidence} module and each decision re-decided with the {@code policy} module at the recorded
 * policy version. Each appraisal must also have used only a device enrolment, policy and
 * reference-value sets that earlier entries record ({@link LoggedState}): a row written into the
 * database behind the API's back has no entry, and the appraisal that used it fails the audit.
 */
final class AppraisalRecheck implements LogAuditor.EntryCheck {
  private final AppraisalReplay replay;
  private final LoggedState state;
  private long decisions;
  private long evidenceOnly;
  private long recordedOnly;

  /**
   * @param log the log's service or export
   * @param from the first entry the audit checks (state recorded before it is not known)
   */
  AppraisalRecheck(LogSource log, long from) {
    this.replay = new AppraisalReplay(hex -> log.fetch("evidence/" + hex));
    this.state = LoggedState.fromEntry(from);
  }

  /** Appraisals whose enrolment, policy or reference sets were recorded before the first entry. */
  long stateUnchecked() {
    return state.unchecked();
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
    String outcome = e.facts().path("outcome").asText("");
    state.accept(
        index, e.type(), e.facts().path("subject").asText(""), outcome, e.facts().get("detail"));
    switch (replay.replay(e.type(), outcome, e.facts().get("detail"))) {
      case DECISION -> decisions++;
      case EVIDENCE -> evidenceOnly++;
      case RECORDED -> recordedOnly++;
      case NONE -> {}
    }
  }
}
