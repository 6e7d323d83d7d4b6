// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import dev.arca.appraisal.AppraisalException;
import dev.arca.appraisal.AppraisalRecord;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.CompiledPolicy;
import dev.arca.appraisal.PolicyOutcome;
import dev.arca.appraisal.ReferenceSet;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.VerificationContext;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One format's attestation as {@code POST /v1/attestations} appraises it, minus the database: the
 * evidence (built once, for a fixed nonce), the enrolled device, the reference set that pins what
 * the format's profile requires, the time, the test root the evidence chains to, and the bare
 * signature check the evidence contains.
 *
 * @param inputs what the runtime sent, with the collateral chosen for the evidence
 * @param device the device as enrolled
 * @param sets the applicable reference-value sets
 * @param time the appraisal time
 * @param root the test root added to the format's pinned roots
 * @param bare the evidence's bare signature check
 */
record FormatCase(
    Appraiser.Inputs inputs,
    Appraiser.Enrolled device,
    List<ReferenceSet> sets,
    Instant time,
    X509Certificate root,
    BareSignature bare) {

  /** The model every case requests: one that serves the data class the test policy permits. */
  static final AppraisalRecord.Model MODEL =
      new AppraisalRecord.Model("bench-model", 1, List.of("synthetic"), "publisher");

  /** The built-in appraiser with this case's test root added to its format's pinned roots. */
  Appraiser appraiser() {
    return Appraiser.builtin(f -> f.equals(inputs.format()) ? List.of(root) : List.of());
  }

  /**
   * What the service runs per request besides database work: a fresh record naming the device and
   * policy, the appraisal, and the decision for one model.
   */
  PolicyOutcome appraiseAndDecide(Appraiser appraiser, CompiledPolicy policy)
      throws AppraisalException {
    AppraisalRecord.Builder record =
        new AppraisalRecord.Builder(inputs.format(), time)
            .device(device.record())
            .policy(
                new AppraisalRecord.PolicyRef(policy.name(), policy.version(), policy.sha256()));
    Appraiser.Appraised appraised = appraiser.appraise(inputs, device, sets, policy, time, record);
    return appraiser.decide(
        policy, appraised, device.record(), MODEL, "synthetic", "inference", time, record);
  }

  /**
   * The format's verifier alone, in the context the appraisal gives it (expected report data, test
   * root, collateral): the appraisal's share of the cost is the difference.
   */
  Claims verify(EvidenceVerifier verifier) throws EvidenceException {
    VerificationContext.Builder ctx =
        VerificationContext.expectingReportData(time, inputs.reportData()).trustAnchor(root);
    inputs.collateral().forEach(ctx::collateral);
    return verifier.verify(inputs.evidence(), ctx.build());
  }

  /** A verifier of this case's format, to keep (its caches live as long as it does). */
  EvidenceVerifier verifier() {
    return BuiltinFormats.registry().byName(inputs.format()).orElseThrow();
  }
}
