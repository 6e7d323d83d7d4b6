// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer to an upload: one outcome per report, in the order sent.
 *
 * @param results what became of each report
 */
public record UsageResult(List<Outcome> results) {

  /** A report appended to the audit log now. */
  public static final String ACCEPTED = "accepted";

  /** A report already in the audit log (an upload repeated after a lost answer). */
  public static final String DUPLICATE = "duplicate";

  /** A report that will never be accepted (bad signature, key not attested, other device). */
  public static final String REJECTED = "rejected";

  /**
   * One report's outcome.
   *
   * @param digest SHA-256 of the report's bytes, hex (empty when they were not base64)
   * @param outcome {@link #ACCEPTED}, {@link #DUPLICATE} or {@link #REJECTED}
   * @param reason why it was rejected
   * @param auditIndex the audit entry that records it (accepted or duplicate)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Outcome(String digest, String outcome, String reason, Long auditIndex) {}
}
