// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Root hash of a growing tree from O(log n) state: the hashes of the maximal complete subtrees
 * covering {@code [0, size)} (the same nodes as {@link MerkleProver#rootNodes}). Lets a verifier
 * recompute a root from raw entries, starting either empty or from a prefix whose subtree hashes it
 * was given (for example from tiles), without storing the tree.
 *
 * <p>Not thread-safe.
 */
public final class CompactRange {
  private final List<byte[]> hashes = new ArrayList<>();
  private final List<Integer> levels = new ArrayList<>();
  private long size;

  /** An empty range (tree size 0). */
  public CompactRange() {}

  /**
   * A range covering the first {@code size} leaves.
   *
   * @param prefixHashes hashes of {@link MerkleProver#rootNodes}{@code (size)}, in that order
   * @throws IllegalArgumentException if the count or a hash length is wrong
   */
  public static CompactRange ofPrefix(long size, List<byte[]> prefixHashes) {
    List<NodeId> nodes = MerkleProver.rootNodes(size);
    if (nodes.size() != prefixHashes.size()) {
      throw new IllegalArgumentException(
          "size " + size + " needs " + nodes.size() + " hashes, got " + prefixHashes.size());
    }
    CompactRange r = new CompactRange();
    for (int i = 0; i < nodes.size(); i++) {
      byte[] h = prefixHashes.get(i);
      if (h.length != MerkleHashes.HASH_SIZE) {
        throw new IllegalArgumentException("hash " + i + " is not 32 bytes");
      }
      r.hashes.add(h.clone());
      r.levels.add(nodes.get(i).level());
    }
    r.size = size;
    return r;
  }

  /** Appends the next leaf hash. */
  public void append(byte[] leafHash) {
    if (leafHash.length != MerkleHashes.HASH_SIZE) {
      throw new IllegalArgumentException("leaf hash must be 32 bytes");
    }
    byte[] h = leafHash.clone();
    int level = 0;
    // Merge with left neighbours of the same height: they now form a complete subtree.
    while (!levels.isEmpty() && levels.get(levels.size() - 1) == level) {
      h = MerkleHashes.nodeHash(hashes.remove(hashes.size() - 1), h);
      levels.remove(levels.size() - 1);
      level++;
    }
    hashes.add(h);
    levels.add(level);
    size++;
  }

  /** Number of leaves covered. */
  public long size() {
    return size;
  }

  /** RFC 9162 root hash of the leaves covered. */
  public byte[] rootHash() {
    if (hashes.isEmpty()) {
      return MerkleHashes.emptyRoot();
    }
    byte[] acc = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      acc = MerkleHashes.nodeHash(hashes.get(i), acc);
    }
    return acc.clone();
  }
}
