// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

/**
 * The tlog-tiles index encoding: zero-padded 3-digit path elements, all but the last prefixed with
 * {@code x} (1234067 is {@code x001/x234/067}), and the {@code .p/<W>} partial suffix.
 */
public final class TilePaths {
  private TilePaths() {}

  /** Encodes a non-negative tile index, for example {@code 1234067 -> x001/x234/067}. */
  public static String encodeIndex(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("tile index must be >= 0");
    }
    String last = String.format("%03d", index % 1000);
    StringBuilder prefix = new StringBuilder();
    for (long n = index / 1000; n > 0; n /= 1000) {
      prefix.insert(0, String.format("x%03d/", n % 1000));
    }
    return prefix + last;
  }

  /**
   * Decodes {@code N} as produced by {@link #encodeIndex}; only the canonical form is accepted (no
   * redundant {@code x000} first element).
   *
   * @throws TileFormatException {@code tiles.malformed.index}
   */
  public static long decodeIndex(String encoded) throws TileFormatException {
    String[] parts = encoded.split("/", -1);
    if (parts.length > 7) {
      throw bad(encoded);
    }
    long n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      boolean last = i == parts.length - 1;
      String digits = last ? p : (p.startsWith("x") ? p.substring(1) : "");
      if (!digits.matches("[0-9]{3}")) {
        throw bad(encoded);
      }
      if (i == 0 && !last && digits.equals("000")) {
        throw bad(encoded);
      }
      if (n > (Long.MAX_VALUE - 999) / 1000) {
        throw bad(encoded);
      }
      n = n * 1000 + Integer.parseInt(digits);
    }
    return n;
  }

  /** The {@code .p/<W>} suffix for {@code 1 <= width < 256}, empty for full tiles. */
  static String suffix(int width) {
    return width == Tiles.TILE_WIDTH ? "" : ".p/" + width;
  }

  /** Splits {@code N[.p/W]} into index and width; width 256 when no suffix. */
  static long[] parseIndexAndWidth(String s) throws TileFormatException {
    int dot = s.indexOf(".p/");
    String n = dot < 0 ? s : s.substring(0, dot);
    int width = Tiles.TILE_WIDTH;
    if (dot >= 0) {
      String w = s.substring(dot + 3);
      if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) >= Tiles.TILE_WIDTH) {
        throw new TileFormatException(
            "tiles.malformed.width", "partial width must be 1..255 without leading zeroes");
      }
      width = Integer.parseInt(w);
    }
    return new long[] {decodeIndex(n), width};
  }

  private static TileFormatException bad(String encoded) {
    return new TileFormatException(
        "tiles.malformed.index", "tile index '" + encoded + "' is not x###/.../### encoded");
  }
}
