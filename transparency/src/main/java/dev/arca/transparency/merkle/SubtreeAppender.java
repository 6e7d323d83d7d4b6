// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes what a store must write to append a batch of leaves: every complete subtree that the
 * batch completes, leaves included. It reads only the complete subtrees covering the current tree
 * (at most 63, one batched read), so a database store can append inside its own transaction: read
 * them, call {@link #append}, insert the returned rows, commit.
 *
 * <p>The result is exactly what {@link InMemoryHashStore} would hold after the same appends.
 */
public final class SubtreeAppender {
  private SubtreeAppender() {}

  /**
   * Appends leaves to the tree.
   *
   * @param reader the store's hashes for a tree of {@code size} leaves
   * @param size current number of leaves, {@code >= 0}
   * @param leafHashes the new leaves' 32-byte hashes, in order
   * @return the new nodes, in creation order (each leaf, then the parents it completes)
   * @throws IOException if the reader fails
   */
  public static List<StoredNode> append(HashReader reader, long size, List<byte[]> leafHashes)
      throws IOException {
    List<NodeId> frontier = MerkleProver.rootNodes(size);
    List<byte[]> frontierHashes = frontier.isEmpty() ? List.of() : reader.readHashes(frontier);
    if (frontierHashes.size() != frontier.size()) {
      throw new IOException("hash reader returned the wrong number of hashes");
    }
    List<StoredNode> stack = new ArrayList<>();
    for (int i = 0; i < frontier.size(); i++) {
      stack.add(new StoredNode(frontier.get(i), frontierHashes.get(i)));
    }
    List<StoredNode> created = new ArrayList<>();
    long next = size;
    for (byte[] leafHash : leafHashes) {
      if (leafHash.length != MerkleHashes.HASH_SIZE) {
        throw new IllegalArgumentException("leaf hashes must be 32 bytes");
      }
      StoredNode top = new StoredNode(new NodeId(0, next++), leafHash.clone());
      created.add(top);
      // A left neighbour of the same level is this node's sibling: their parent is complete now.
      while (!stack.isEmpty() && stack.get(stack.size() - 1).node().level() == top.node().level()) {
        StoredNode left = stack.remove(stack.size() - 1);
        top =
            new StoredNode(
                new NodeId(top.node().level() + 1, left.node().index() >>> 1),
                MerkleHashes.nodeHash(left.hash(), top.hash()));
        created.add(top);
      }
      stack.add(top);
    }
    return created;
  }
}
