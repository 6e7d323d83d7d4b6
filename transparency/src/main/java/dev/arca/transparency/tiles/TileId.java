// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

/**
 * A hash tile: at tlog-tiles level {@code level}, number {@code index}, holding {@code width}
 * consecutive hashes of tree level {@code 8 * level} starting at node {@code index * 256}. Level-0
 * tiles hold leaf hashes.
 *
 * @param level tile level, {@code 0 <= level <= 7} (enough for any tree below 2^63 leaves)
 * @param index tile number within the level, {@code >= 0}
 * @param width number of hashes, {@code 1..256}; below 256 the tile is partial
 */
public record TileId(int level, long index, int width) {
  /** Checks the bounds stated above. */
  public TileId {
    if (level < 0 || level > Tiles.MAX_LEVEL) {
      throw new IllegalArgumentException("tile level must be 0.." + Tiles.MAX_LEVEL);
    }
    if (index < 0 || index > Tiles.maxTileIndex(level)) {
      throw new IllegalArgumentException("tile index out of range: " + index);
    }
    if (width < 1 || width > Tiles.TILE_WIDTH) {
      throw new IllegalArgumentException("tile width must be 1..256");
    }
  }

  /** True if the tile holds fewer than 256 hashes. */
  public boolean isPartial() {
    return width < Tiles.TILE_WIDTH;
  }

  /** The path below the log prefix, for example {@code tile/1/x001/234.p/17}. */
  public String path() {
    return "tile/" + level + "/" + TilePaths.encodeIndex(index) + TilePaths.suffix(width);
  }

  /** Size of the tile's content in bytes: {@code 32 * width}. */
  public int byteLength() {
    return width * 32;
  }

  /**
   * Parses a hash tile path such as {@code tile/0/x001/234} or {@code tile/2/000.p/1}.
   *
   * @throws TileFormatException if the path is not a canonical tile path
   */
  public static TileId parse(String path) throws TileFormatException {
    if (path == null || !path.startsWith("tile/") || path.startsWith("tile/entries/")) {
      throw new TileFormatException("tiles.malformed.path", "not a hash tile path");
    }
    String rest = path.substring(5);
    int slash = rest.indexOf('/');
    if (slash < 0 || !rest.substring(0, slash).matches("0|[1-9][0-9]?")) {
      throw new TileFormatException("tiles.malformed.level", "tile level must be decimal 0..63");
    }
    int level = Integer.parseInt(rest.substring(0, slash));
    if (level > Tiles.MAX_LEVEL) {
      throw new TileFormatException(
          "tiles.malformed.level", "tile level " + level + " exceeds " + Tiles.MAX_LEVEL);
    }
    long[] nw = TilePaths.parseIndexAndWidth(rest.substring(slash + 1));
    try {
      return new TileId(level, nw[0], (int) nw[1]);
    } catch (IllegalArgumentException e) {
      throw new TileFormatException("tiles.malformed.index", e.getMessage());
    }
  }
}
