// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

/**
 * Why an appraisal refused evidence. Each has the id of the service's problem type (e.g. {@code
 * attestation/evidence-invalid}), so the service answers with it and a replay knows which rejection
 * an audit entry records.
 */
public enum Rejection {
  /** No verifier for the named format. */
  UNKNOWN_FORMAT("unknown-format"),
  /** The device's stored enrolment cannot be used to verify (malformed or of another format). */
  ENROLMENT_UNUSABLE("attestation/enrolment-unusable"),
  /** The evidence does not verify, or comes from another device than the enrolled one. */
  EVIDENCE_INVALID("attestation/evidence-invalid"),
  /** The evidence verifies but binds another nonce, runtime key or measurement log. */
  REPORT_DATA_UNBOUND("attestation/report-data-unbound"),
  /** The platform reports debug mode. */
  DEBUG_EVIDENCE("attestation/debug-evidence"),
  /** The runtime recorded insecure start-up findings in its measurement log. */
  INSECURE_RUNTIME("attestation/insecure-runtime"),
  /** The evidence lacks what its format's minimum profile requires (e.g. a required PCR). */
  EVIDENCE_INCOMPLETE("attestation/evidence-incomplete"),
  /** The measurement log does not replay to the measured value the evidence quotes. */
  MEASUREMENT_LOG_MISMATCH("attestation/measurement-log-mismatch"),
  /** No applicable reference-value set measures what a hardware format requires. */
  REFERENCE_MISSING("attestation/reference-missing"),
  /** A measurement matches no accepted reference value. */
  REFERENCE_MISMATCH("attestation/reference-mismatch");

  private final String problemId;

  Rejection(String problemId) {
    this.problemId = problemId;
  }

  /** The service's problem type id, e.g. {@code attestation/reference-missing}. */
  public String problemId() {
    return problemId;
  }

  /** The rejection with problem type id {@code id}, or {@code null} for another problem. */
  public static Rejection ofProblemId(String id) {
    for (Rejection r : values()) {
      if (r.problemId().equals(id)) {
        return r;
      }
    }
    return null;
  }
}
