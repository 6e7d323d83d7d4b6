// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only store of every complete subtree hash, in memory: the reference layout a database
 * store must reproduce. Appending a leaf adds its hash at level 0 and then one new node on each
 * level where a left sibling was waiting, so each append costs at most {@code log2(size)} node
 * hashes and never changes a stored hash.
 *
 * <p>Thread-safe: appends and reads are serialised on this object.
 */
public final class InMemoryHashStore implements HashReader {
  private final List<List<byte[]>> levels = new ArrayList<>();

  /**
   * Appends one leaf hash and returns its index.
   *
   * @param leafHash 32-byte RFC 9162 leaf hash ({@link MerkleHashes#leafHash})
   */
  public synchronized long append(byte[] leafHash) {
    if (leafHash == null || leafHash.length != MerkleHashes.HASH_SIZE) {
      throw new IllegalArgumentException("leaf hash must be 32 bytes");
    }
    long index = size();
    byte[] carry = leafHash.clone();
    int level = 0;
    while (true) {
      if (levels.size() == level) {
        levels.add(new ArrayList<>());
      }
      List<byte[]> row = levels.get(level);
      row.add(carry);
      if (row.size() % 2 != 0) {
        return index;
      }
      // This node completed a pair: its parent is now a complete subtree too.
      carry = MerkleHashes.nodeHash(row.get(row.size() - 2), carry);
      level++;
    }
  }

  /** Number of leaves. */
  public synchronized long size() {
    return levels.isEmpty() ? 0 : levels.get(0).size();
  }

  /** Root hash at the current size. */
  public byte[] rootHash() {
    try {
      return MerkleProver.rootHash(this, size());
    } catch (IOException e) {
      throw new IllegalStateException("in-memory read cannot fail", e);
    }
  }

  @Override
  public synchronized List<byte[]> readHashes(List<NodeId> nodes) throws IOException {
    List<byte[]> out = new ArrayList<>(nodes.size());
    for (NodeId n : nodes) {
      if (n.level() >= levels.size() || n.index() >= levels.get(n.level()).size()) {
        throw new IOException("node " + n + " is not a complete subtree of this log");
      }
      out.add(levels.get(n.level()).get((int) n.index()).clone());
    }
    return out;
  }
}
