// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.io.IOException;
import java.util.List;

/**
 * Source of stored hashes of complete subtrees (see {@link NodeId}). A PostgreSQL store answers one
 * batch with one query; a tile reader answers it from the tiles that hold the nodes.
 *
 * <p>{@link MerkleProver} asks only for nodes that lie entirely inside the tree size it was given,
 * so an implementation never needs to know about partial subtrees.
 */
public interface HashReader {
  /**
   * Returns the hash of each node, in the order asked.
   *
   * @param nodes complete subtrees, each wholly inside the tree the reader serves
   * @return one 32-byte hash per node, same order and size as {@code nodes}
   * @throws IOException if the storage cannot be read or does not hold a requested node
   */
  List<byte[]> readHashes(List<NodeId> nodes) throws IOException;
}
