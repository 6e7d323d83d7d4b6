// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.util.Base64;

/**
 * The root computed from a proof differs from the root the caller trusts: the entry is not in that
 * tree, the proof is wrong, or the two trees are not consistent (a forked log). Carries both roots
 * so a report can show them ({@code transparency.proof.root-mismatch}).
 */
public final class RootMismatchException extends ProofVerificationException {
  private static final long serialVersionUID = 1L;

  private final String which;
  private final byte[] expected;
  private final byte[] calculated;

  /**
   * @param which which root failed: {@code "root"} for inclusion, {@code "root1"} or {@code
   *     "root2"} for consistency
   * @param expected the root the caller supplied
   * @param calculated the root the proof leads to
   */
  public RootMismatchException(String which, byte[] expected, byte[] calculated) {
    super(
        "transparency.proof.root-mismatch",
        which
            + " mismatch: expected "
            + Base64.getEncoder().encodeToString(expected)
            + ", calculated "
            + Base64.getEncoder().encodeToString(calculated));
    this.which = which;
    this.expected = expected.clone();
    this.calculated = calculated.clone();
  }

  /** {@code "root"}, {@code "root1"} or {@code "root2"}. */
  public String which() {
    return which;
  }

  /** The root the caller supplied (a copy). */
  public byte[] expectedRoot() {
    return expected.clone();
  }

  /** The root the proof leads to (a copy). */
  public byte[] calculatedRoot() {
    return calculated.clone();
  }
}
