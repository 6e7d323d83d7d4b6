// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

/**
 * A complete subtree of the Merkle tree: level {@code level} node number {@code index} spans the
 * {@code 2^level} leaves {@code [index * 2^level, (index + 1) * 2^level)}. Level 0 nodes are leaf
 * hashes. Only complete subtrees have a fixed hash (it never changes as the log grows), which is
 * why stores keep exactly these.
 *
 * @param level height above the leaves, {@code 0 <= level <= 62}
 * @param index position within the level, {@code 0 <= index} and {@code (index + 1) << level} must
 *     not overflow
 */
public record NodeId(int level, long index) {
  /** Checks the bounds stated above. */
  public NodeId {
    if (level < 0 || level > 62) {
      throw new IllegalArgumentException("level must be in [0, 62], got " + level);
    }
    if (index < 0 || index > (Long.MAX_VALUE >> level) - 1) {
      throw new IllegalArgumentException("index out of range for level " + level + ": " + index);
    }
  }

  /** First leaf covered, inclusive. */
  public long firstLeaf() {
    return index << level;
  }

  /** Last leaf covered, exclusive. */
  public long endLeaf() {
    return (index + 1) << level;
  }

  /** Number of leaves covered: {@code 2^level}. */
  public long width() {
    return 1L << level;
  }
}
