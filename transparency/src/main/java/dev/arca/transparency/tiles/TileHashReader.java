// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.merkle.NodeId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link HashReader} over fetched tiles of one tree size, for clients such as {@code arca audit
 * verify}: give it to {@link dev.arca.transparency.merkle.MerkleProver} to compute the root or any
 * proof locally. Tiles are not trusted: whatever they say is checked when the computed root or
 * proof is compared with a verified checkpoint.
 *
 * <p>Keeps the most recently used {@value #CACHE_TILES} tiles with their internal levels (about 16
 * KiB each). Not thread-safe.
 */
public final class TileHashReader implements HashReader {
  /** Number of tiles kept in memory. */
  public static final int CACHE_TILES = 1024;

  /** Fetches the content of one tile, for example over HTTP from {@code <prefix>/<path>}. */
  @FunctionalInterface
  public interface TileFetcher {
    /**
     * Returns a tile's bytes.
     *
     * @return the tile's bytes
     * @throws IOException if the tile cannot be fetched
     */
    byte[] fetch(TileId tile) throws IOException;
  }

  private final TileFetcher fetcher;
  private final long treeSize;
  // Each cached tile keeps all its internal levels, so a node costs a lookup, not up to 255
  // hashes; building them costs at most 255 hashes per fetched tile.
  private final Map<TileId, byte[][][]> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<TileId, byte[][][]> eldest) {
          return size() > CACHE_TILES;
        }
      };

  /**
   * @param fetcher source of tile bytes
   * @param treeSize size of the tree the tiles describe (from a verified checkpoint)
   */
  public TileHashReader(TileFetcher fetcher, long treeSize) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size must be >= 0");
    }
    this.treeSize = treeSize;
  }

  @Override
  public List<byte[]> readHashes(List<NodeId> nodes) throws IOException {
    List<byte[]> out = new ArrayList<>(nodes.size());
    for (NodeId node : nodes) {
      if (node.endLeaf() > treeSize) {
        throw new IOException(node + " is not complete in a tree of size " + treeSize);
      }
      TileId tile = Tiles.tileFor(node, treeSize);
      byte[][][] levels = cache.get(tile);
      if (levels == null) {
        byte[] content = fetcher.fetch(tile);
        if (content == null || content.length != tile.byteLength()) {
          throw new IOException(
              tile.path()
                  + " has "
                  + (content == null ? "no content" : content.length + " bytes")
                  + ", expected "
                  + tile.byteLength());
        }
        levels = levels(tile, content);
        cache.put(tile, levels);
      }
      int within = node.level() - Tiles.TILE_HEIGHT * tile.level();
      long first = (node.index() << within) - tile.index() * Tiles.TILE_WIDTH;
      out.add(levels[within][(int) (first >> within)].clone());
    }
    return out;
  }

  /** levels[k][i] = hash of the complete subtree of 2^k tile hashes starting at i * 2^k. */
  private static byte[][][] levels(TileId tile, byte[] content) throws IOException {
    byte[][][] levels = new byte[Tiles.TILE_HEIGHT][][];
    try {
      levels[0] = Tiles.hashes(tile, content).toArray(new byte[0][]);
    } catch (TileFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
    for (int k = 1; k < Tiles.TILE_HEIGHT; k++) {
      byte[][] below = levels[k - 1];
      byte[][] row = new byte[below.length / 2][];
      for (int i = 0; i < row.length; i++) {
        row[i] = MerkleHashes.nodeHash(below[2 * i], below[2 * i + 1]);
      }
      levels[k] = row;
    }
    return levels;
  }
}
