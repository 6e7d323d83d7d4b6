// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds tree heads and proofs (RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1) for any tree size
 * from stored hashes of complete subtrees only.
 *
 * <p>Why this works: every subtree that RFC 9162's recursive definitions hash, {@code MTH(D[a:b])},
 * starts at a multiple of the largest power of two not above its width, so it splits into complete
 * aligned subtrees of decreasing size, and its hash is those subtrees' hashes folded from the
 * right. Each method first lists the {@link NodeId}s it needs (available separately for tile
 * planning), reads them in one batch, and folds.
 *
 * <p>All methods are stateless and thread-safe if the reader is.
 */
public final class MerkleProver {
  private MerkleProver() {}

  /**
   * Root hash of the first {@code size} leaves (RFC 9162 section 2.1.1).
   *
   * @param size tree size, requires {@code 0 <= size}; size 0 gives {@link
   *     MerkleHashes#emptyRoot()} without reading
   * @throws IOException if the reader fails
   */
  public static byte[] rootHash(HashReader reader, long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("requires 0 <= size, got " + size);
    }
    if (size == 0) {
      return MerkleHashes.emptyRoot();
    }
    return resolve(reader, List.of(new Range(0, size))).get(0);
  }

  /**
   * Inclusion proof (audit path) of leaf {@code index} in the tree of {@code size} leaves, ordered
   * from the leaf upwards (RFC 9162 section 2.1.3.1).
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   * @throws IOException if the reader fails
   */
  public static List<byte[]> inclusionProof(HashReader reader, long index, long size)
      throws IOException {
    return resolve(reader, inclusionRanges(index, size));
  }

  /**
   * Consistency proof between the tree of {@code size1} leaves and the tree of {@code size2} leaves
   * (RFC 9162 section 2.1.4.1). Empty when the sizes are equal.
   *
   * @throws IllegalArgumentException unless {@code 0 < size1 <= size2} (a proof from the empty tree
   *     is not defined: every tree extends it)
   * @throws IOException if the reader fails
   */
  public static List<byte[]> consistencyProof(HashReader reader, long size1, long size2)
      throws IOException {
    return resolve(reader, consistencyRanges(size1, size2));
  }

  /** The stored nodes {@link #rootHash} reads for {@code size}, requires {@code 0 <= size}. */
  public static List<NodeId> rootNodes(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("requires 0 <= size, got " + size);
    }
    List<NodeId> out = new ArrayList<>();
    decompose(0, size, out);
    return out;
  }

  /** The stored nodes {@link #inclusionProof} reads; requires {@code 0 <= index < size}. */
  public static List<NodeId> inclusionNodes(long index, long size) {
    return nodesOf(inclusionRanges(index, size));
  }

  /** The stored nodes {@link #consistencyProof} reads; requires {@code 0 < size1 <= size2}. */
  public static List<NodeId> consistencyNodes(long size1, long size2) {
    return nodesOf(consistencyRanges(size1, size2));
  }

  /** Leaves {@code [start, end)} whose MTH is one proof element. */
  private record Range(long start, long end) {}

  private static List<Range> inclusionRanges(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "requires 0 <= index < size, got index " + index + ", size " + size);
    }
    // Walk from the root down; the sibling found at each split is one proof element.
    List<Range> topDown = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (index < lo + k) {
        topDown.add(new Range(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(new Range(lo, lo + k));
        lo = lo + k;
      }
    }
    Collections.reverse(topDown);
    return topDown;
  }

  private static List<Range> consistencyRanges(long size1, long size2) {
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException(
          "requires 0 < size1 <= size2, got size1 " + size1 + ", size2 " + size2);
    }
    // SUBPROOF(m, D[lo:hi], b) unrolled: m stays absolute, b turns false once we go right.
    List<Range> topDown = new ArrayList<>();
    long lo = 0;
    long hi = size2;
    boolean wholeOldTree = true;
    while (size1 < hi) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (size1 <= lo + k) {
        topDown.add(new Range(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(new Range(lo, lo + k));
        lo = lo + k;
        wholeOldTree = false;
      }
    }
    List<Range> proof = new ArrayList<>(topDown.size() + 1);
    if (!wholeOldTree) {
      proof.add(new Range(lo, hi));
    }
    Collections.reverse(topDown);
    proof.addAll(topDown);
    return proof;
  }

  private static List<NodeId> nodesOf(List<Range> ranges) {
    List<NodeId> out = new ArrayList<>();
    for (Range r : ranges) {
      decompose(r.start(), r.end(), out);
    }
    return out;
  }

  private static List<byte[]> resolve(HashReader reader, List<Range> ranges) throws IOException {
    List<NodeId> nodes = nodesOf(ranges);
    if (nodes.isEmpty()) {
      return List.of();
    }
    List<byte[]> hashes = reader.readHashes(nodes);
    if (hashes == null || hashes.size() != nodes.size()) {
      throw new IOException(
          "hash reader returned "
              + (hashes == null ? "null" : hashes.size() + " hashes")
              + " for "
              + nodes.size()
              + " nodes");
    }
    List<byte[]> out = new ArrayList<>(ranges.size());
    int next = 0;
    for (Range r : ranges) {
      int count = countNodes(r.start(), r.end());
      byte[] acc = checked(hashes.get(next + count - 1), nodes.get(next + count - 1));
      for (int i = next + count - 2; i >= next; i--) {
        acc = MerkleHashes.nodeHash(checked(hashes.get(i), nodes.get(i)), acc);
      }
      out.add(acc);
      next += count;
    }
    return List.copyOf(out);
  }

  private static byte[] checked(byte[] hash, NodeId node) throws IOException {
    if (hash == null || hash.length != MerkleHashes.HASH_SIZE) {
      throw new IOException("hash reader returned a malformed hash for " + node);
    }
    return hash;
  }

  /** Splits {@code [start, end)} into maximal complete aligned subtrees, left to right. */
  private static void decompose(long start, long end, List<NodeId> out) {
    long a = start;
    while (a < end) {
      int level = Math.min(Long.numberOfTrailingZeros(a), floorLog2(end - a));
      out.add(new NodeId(level, a >>> level));
      a += 1L << level;
    }
  }

  private static int countNodes(long start, long end) {
    int n = 0;
    long a = start;
    while (a < end) {
      a += 1L << Math.min(Long.numberOfTrailingZeros(a), floorLog2(end - a));
      n++;
    }
    return n;
  }

  private static int floorLog2(long n) {
    return 63 - Long.numberOfLeadingZeros(n);
  }

  /** Largest power of two strictly below {@code n}, for {@code n >= 2}. */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
