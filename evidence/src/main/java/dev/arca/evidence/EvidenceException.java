// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.List;

/**
 * Evidence could not be parsed or did not verify: the attester's fault, not the verifier's. Carries
 * every reason found, each with a stable {@link Failure#id()}.
 */
public final class EvidenceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<Failure> failures;

  /**
   * @param failures at least one failure
   */
  public EvidenceException(List<Failure> failures) {
    super(summary(failures));
    if (failures.isEmpty()) {
      throw new IllegalArgumentException("an EvidenceException needs at least one failure");
    }
    this.failures = List.copyOf(failures);
  }

  /** A single failure. */
  public EvidenceException(String id, String message) {
    this(List.of(new Failure(id, message)));
  }

  /** A single failure caused by a lower-level exception (its message is kept, not its trace). */
  public EvidenceException(String id, String message, Throwable cause) {
    this(List.of(new Failure(id, message)));
    initCause(cause);
  }

  /**
   * Whether every failure is a {@link Failure.Kind#BINDING} one: the evidence verified in itself
   * but binds another nonce or report data than expected.
   */
  public boolean onlyBinding() {
    return failures.stream().allMatch(f -> f.kind() == Failure.Kind.BINDING);
  }

  /** Every reason, in the order found; never empty. */
  public List<Failure> failures() {
    return failures;
  }

  /** Ids of every failure, for matching in tests and policies. */
  public List<String> ids() {
    return failures.stream().map(Failure::id).toList();
  }

  private static String summary(List<Failure> failures) {
    if (failures.size() == 1) {
      return failures.get(0).toString();
    }
    StringBuilder sb = new StringBuilder(failures.size() + " problems: ");
    for (int i = 0; i < failures.size(); i++) {
      sb.append(i == 0 ? "" : "; ").append(failures.get(i));
    }
    return sb.toString();
  }
}
