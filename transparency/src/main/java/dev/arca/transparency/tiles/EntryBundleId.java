// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

/**
 * An entry bundle: log entries {@code [index * 256, index * 256 + width)}.
 *
 * @param index bundle number, {@code >= 0}
 * @param width number of entries, {@code 1..256}; below 256 the bundle is partial
 */
public record EntryBundleId(long index, int width) {
  /** Checks the bounds stated above. */
  public EntryBundleId {
    if (index < 0 || index > (Long.MAX_VALUE >> Tiles.TILE_HEIGHT)) {
      throw new IllegalArgumentException("bundle index out of range: " + index);
    }
    if (width < 1 || width > Tiles.TILE_WIDTH) {
      throw new IllegalArgumentException("bundle width must be 1..256");
    }
  }

  /** Index of the first entry in the bundle. */
  public long firstEntry() {
    return index * Tiles.TILE_WIDTH;
  }

  /** True if the bundle holds fewer than 256 entries. */
  public boolean isPartial() {
    return width < Tiles.TILE_WIDTH;
  }

  /** The level-0 hash tile whose hashes are these entries' leaf hashes. */
  public TileId hashTile() {
    return new TileId(0, index, width);
  }

  /** The path below the log prefix, for example {@code tile/entries/x001/234.p/17}. */
  public String path() {
    return "tile/entries/" + TilePaths.encodeIndex(index) + TilePaths.suffix(width);
  }

  /**
   * Parses an entry bundle path.
   *
   * @throws TileFormatException if the path is not a canonical entry bundle path
   */
  public static EntryBundleId parse(String path) throws TileFormatException {
    if (path == null || !path.startsWith("tile/entries/")) {
      throw new TileFormatException("tiles.malformed.path", "not an entry bundle path");
    }
    long[] nw = TilePaths.parseIndexAndWidth(path.substring("tile/entries/".length()));
    try {
      return new EntryBundleId(nw[0], (int) nw[1]);
    } catch (IllegalArgumentException e) {
      throw new TileFormatException("tiles.malformed.index", e.getMessage());
    }
  }
}
