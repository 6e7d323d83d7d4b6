// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every failure of one verification, so an appraisal reports all reasons, not only the
 * first. Not thread-safe: one per verification.
 */
public final class Failures {
  private final List<Failure> found = new ArrayList<>();

  /** Records a failure and goes on. */
  public void add(String id, String message) {
    found.add(new Failure(id, message));
  }

  /**
   * Records a binding failure (the evidence binds another nonce or report data than expected) and
   * goes on.
   */
  public void addBinding(String id, String message) {
    found.add(Failure.binding(id, message));
  }

  /** Records the failures of a nested check and goes on. */
  public void addAll(EvidenceException e) {
    found.addAll(e.failures());
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  /**
   * Throws if any failure was recorded.
   *
   * @throws EvidenceException with everything recorded, if anything was
   */
  public void throwIfAny() throws EvidenceException {
    if (!found.isEmpty()) {
      throw new EvidenceException(found);
    }
  }
}
