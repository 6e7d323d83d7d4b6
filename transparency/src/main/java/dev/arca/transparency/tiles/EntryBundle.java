// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry bundle content (c2sp.org/tlog-tiles, "Log entries"): each entry as a big-endian uint16
 * length followed by its bytes. Entries are therefore at most 65,535 bytes.
 */
public final class EntryBundle {
  /** Largest entry a bundle can carry. */
  public static final int MAX_ENTRY_BYTES = 0xFFFF;

  private EntryBundle() {}

  /**
   * Encodes 1 to 256 entries.
   *
   * @throws IllegalArgumentException if an entry exceeds {@link #MAX_ENTRY_BYTES} or the count is
   *     out of range
   */
  public static byte[] encode(List<byte[]> entries) {
    if (entries.isEmpty() || entries.size() > Tiles.TILE_WIDTH) {
      throw new IllegalArgumentException("a bundle holds 1 to 256 entries");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : entries) {
      if (e.length > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException("entry of " + e.length + " bytes exceeds 65535");
      }
      out.write(e.length >>> 8);
      out.write(e.length & 0xFF);
      out.write(e, 0, e.length);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a bundle that must hold exactly {@code bundle.width()} entries and nothing else.
   *
   * @throws TileFormatException {@code tiles.malformed.bundle} otherwise
   */
  public static List<byte[]> decode(EntryBundleId bundle, byte[] content)
      throws TileFormatException {
    List<byte[]> out = new ArrayList<>(bundle.width());
    int pos = 0;
    while (pos < content.length) {
      if (out.size() == bundle.width()) {
        throw bad(bundle, "has more than " + bundle.width() + " entries");
      }
      if (pos + 2 > content.length) {
        throw bad(bundle, "ends inside a length prefix");
      }
      int len = ((content[pos] & 0xFF) << 8) | (content[pos + 1] & 0xFF);
      pos += 2;
      if (pos + len > content.length) {
        throw bad(bundle, "ends inside entry " + (bundle.firstEntry() + out.size()));
      }
      out.add(Arrays.copyOfRange(content, pos, pos + len));
      pos += len;
    }
    if (out.size() != bundle.width()) {
      throw bad(bundle, "has " + out.size() + " entries, expected " + bundle.width());
    }
    return out;
  }

  private static TileFormatException bad(EntryBundleId bundle, String why) {
    return new TileFormatException("tiles.malformed.bundle", bundle.path() + " " + why);
  }
}
