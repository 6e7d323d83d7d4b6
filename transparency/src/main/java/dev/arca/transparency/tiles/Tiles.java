// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.merkle.NodeId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tile math (c2sp.org/tlog-tiles, "Merkle Tree"). Tiles have height 8: a level-{@code L} tile holds
 * up to 256 consecutive hashes of tree level {@code 8L}, and any complete subtree ({@link NodeId})
 * at tree levels {@code 8L .. 8L+7} is computed from the one level-{@code L} tile that contains its
 * descendants at level {@code 8L}. For a tree of size {@code s} the rightmost tile of level {@code
 * L} has width {@code floor(s / 256^L) mod 256} (partial) when that is not zero.
 */
public final class Tiles {
  /** Tree levels per tile. */
  public static final int TILE_HEIGHT = 8;

  /** Hashes in a full tile, entries in a full bundle. */
  public static final int TILE_WIDTH = 256;

  /** Highest tile level used: level 7 tiles hold tree level 56, enough below 2^63 leaves. */
  public static final int MAX_LEVEL = 7;

  private Tiles() {}

  /** Largest tile index that can exist at a level in a tree below 2^63 leaves. */
  static long maxTileIndex(int level) {
    int shift = TILE_HEIGHT * (level + 1);
    return shift >= 63 ? 0 : Long.MAX_VALUE >> shift;
  }

  /**
   * The tile holding {@code node}'s level-{@code 8L} descendants, with the width it has in a tree
   * of {@code treeSize} leaves.
   *
   * @throws IllegalArgumentException unless {@code node.endLeaf() <= treeSize}
   */
  public static TileId tileFor(NodeId node, long treeSize) {
    if (node.endLeaf() > treeSize) {
      throw new IllegalArgumentException(node + " is not complete in a tree of size " + treeSize);
    }
    int level = node.level() / TILE_HEIGHT;
    int within = node.level() % TILE_HEIGHT;
    long first = node.index() << within;
    long tileIndex = first >>> TILE_HEIGHT;
    return tileAt(level, tileIndex, treeSize);
  }

  /**
   * Tile {@code index} of {@code level} as it exists in a tree of {@code treeSize} leaves (full, or
   * partial if it is the rightmost).
   *
   * @throws IllegalArgumentException if that tile would be empty
   */
  public static TileId tileAt(int level, long index, long treeSize) {
    long hashesAtLevel = treeSize >>> (TILE_HEIGHT * level);
    long width = Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH);
    if (level > MAX_LEVEL || index < 0 || width <= 0) {
      throw new IllegalArgumentException(
          "tile " + level + "/" + index + " is empty in a tree of size " + treeSize);
    }
    return new TileId(level, index, (int) width);
  }

  /** The distinct tiles needed to read {@code nodes} in a tree of {@code treeSize}, in order. */
  public static Set<TileId> tilesFor(Collection<NodeId> nodes, long treeSize) {
    Set<TileId> out = new LinkedHashSet<>();
    for (NodeId n : nodes) {
      out.add(tileFor(n, treeSize));
    }
    return out;
  }

  /**
   * The entry bundle holding entry {@code entryIndex} in a tree of {@code treeSize}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= entryIndex < treeSize}
   */
  public static EntryBundleId bundleFor(long entryIndex, long treeSize) {
    if (entryIndex < 0 || entryIndex >= treeSize) {
      throw new IllegalArgumentException("requires 0 <= entryIndex < treeSize");
    }
    long index = entryIndex / TILE_WIDTH;
    return new EntryBundleId(index, (int) Math.min(TILE_WIDTH, treeSize - index * TILE_WIDTH));
  }

  /**
   * The content of a tile, read from stored subtree hashes: the concatenated hashes of tree level
   * {@code 8L} nodes {@code index*256 .. index*256+width-1}.
   *
   * @throws IOException if the reader fails
   */
  public static byte[] readTile(HashReader reader, TileId tile) throws IOException {
    int treeLevel = TILE_HEIGHT * tile.level();
    List<NodeId> nodes = new ArrayList<>(tile.width());
    for (int i = 0; i < tile.width(); i++) {
      nodes.add(new NodeId(treeLevel, tile.index() * TILE_WIDTH + i));
    }
    List<byte[]> hashes = reader.readHashes(nodes);
    if (hashes.size() != nodes.size()) {
      throw new IOException("hash reader returned the wrong number of hashes for " + tile.path());
    }
    byte[] out = new byte[tile.byteLength()];
    for (int i = 0; i < hashes.size(); i++) {
      byte[] h = hashes.get(i);
      if (h.length != MerkleHashes.HASH_SIZE) {
        throw new IOException("hash reader returned a malformed hash for " + tile.path());
      }
      System.arraycopy(h, 0, out, i * MerkleHashes.HASH_SIZE, MerkleHashes.HASH_SIZE);
    }
    return out;
  }

  /**
   * Computes a complete subtree's hash from the content of the tile that {@link #tileFor} names for
   * it.
   *
   * @throws TileFormatException {@code tiles.malformed.length} if the content is not {@code 32 *
   *     width} bytes, {@code tiles.malformed.range} if the node is not inside the tile
   */
  public static byte[] nodeHash(TileId tile, byte[] content, NodeId node)
      throws TileFormatException {
    requireLength(tile, content);
    int within = node.level() - TILE_HEIGHT * tile.level();
    if (within < 0 || within >= TILE_HEIGHT) {
      throw new TileFormatException("tiles.malformed.range", node + " is not in " + tile.path());
    }
    long first = (node.index() << within) - tile.index() * TILE_WIDTH;
    long count = 1L << within;
    if (first < 0 || first + count > tile.width()) {
      throw new TileFormatException("tiles.malformed.range", node + " is not in " + tile.path());
    }
    return subtreeHash(content, (int) first, (int) count);
  }

  /**
   * Splits tile content into its hashes.
   *
   * @throws TileFormatException {@code tiles.malformed.length} if the size is wrong
   */
  public static List<byte[]> hashes(TileId tile, byte[] content) throws TileFormatException {
    requireLength(tile, content);
    List<byte[]> out = new ArrayList<>(tile.width());
    for (int i = 0; i < tile.width(); i++) {
      int from = i * MerkleHashes.HASH_SIZE;
      out.add(Arrays.copyOfRange(content, from, from + MerkleHashes.HASH_SIZE));
    }
    return out;
  }

  private static byte[] subtreeHash(byte[] content, int first, int count) {
    if (count == 1) {
      int from = first * MerkleHashes.HASH_SIZE;
      return Arrays.copyOfRange(content, from, from + MerkleHashes.HASH_SIZE);
    }
    int half = count / 2;
    return MerkleHashes.nodeHash(
        subtreeHash(content, first, half), subtreeHash(content, first + half, half));
  }

  private static void requireLength(TileId tile, byte[] content) throws TileFormatException {
    if (content == null || content.length != tile.byteLength()) {
      throw new TileFormatException(
          "tiles.malformed.length",
          tile.path()
              + " must be "
              + tile.byteLength()
              + " bytes, got "
              + (content == null ? "none" : content.length));
    }
  }
}
