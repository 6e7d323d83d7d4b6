// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

import dev.arca.transparency.TransparencyException;

/**
 * A tile path, tile or entry bundle that does not follow c2sp.org/tlog-tiles. Ids start with {@code
 * tiles.malformed}.
 */
public final class TileFormatException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  /** See {@link TransparencyException#TransparencyException(String, String)}. */
  public TileFormatException(String id, String message) {
    super(id, message);
  }
}
