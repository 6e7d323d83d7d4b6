// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.model;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Overwrites plaintext held in memory once it is no longer needed. */
public final class Wipe {
  private static final byte[] ZEROS = new byte[64 * 1024];

  private Wipe() {}

  /** Zeroes a whole buffer (0 to its capacity), heap or direct. */
  public static void buffer(ByteBuffer b) {
    ByteBuffer w = b.duplicate();
    w.clear();
    while (w.hasRemaining()) {
      w.put(ZEROS, 0, Math.min(ZEROS.length, w.remaining()));
    }
  }

  /** Zeroes an array. */
  public static void bytes(byte[] b) {
    Arrays.fill(b, (byte) 0);
  }
}
