// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import java.util.Map;
import java.util.Objects;

/**
 * The appraisal refused the evidence. The message is for a person (never key material); the details
 * are JSON-friendly values the service returns as problem extensions and records in the audit entry
 * (e.g. {@code failures}, {@code mismatches}, {@code insecure}).
 */
public final class AppraisalException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Rejection rejection;
  private final transient Map<String, Object> details;

  /**
   * @param rejection why
   * @param message what, for a person
   * @param details problem extensions
   */
  public AppraisalException(Rejection rejection, String message, Map<String, Object> details) {
    super(message);
    this.rejection = Objects.requireNonNull(rejection, "rejection");
    this.details = Map.copyOf(details);
  }

  /** A rejection without details. */
  public AppraisalException(Rejection rejection, String message) {
    this(rejection, message, Map.of());
  }

  public Rejection rejection() {
    return rejection;
  }

  public Map<String, Object> details() {
    return details;
  }
}
