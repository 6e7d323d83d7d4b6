// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import dev.arca.transparency.TransparencyException;

/**
 * A Merkle proof did not verify. {@link #id()} names the reason:
 *
 * <ul>
 *   <li>{@code transparency.proof.index-out-of-range}: the leaf index is not below the tree size
 *   <li>{@code transparency.proof.size-order}: the first tree is larger than the second
 *   <li>{@code transparency.proof.empty-tree}: consistency from the empty tree was asked
 *   <li>{@code transparency.proof.wrong-length}: the proof has the wrong number of hashes
 *   <li>{@code transparency.proof.malformed-hash}: a hash is not 32 bytes
 *   <li>{@code transparency.proof.root-mismatch}: see {@link RootMismatchException}
 * </ul>
 */
public class ProofVerificationException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  /** See {@link TransparencyException#TransparencyException(String, String)}. */
  public ProofVerificationException(String id, String message) {
    super(id, message);
  }
}
