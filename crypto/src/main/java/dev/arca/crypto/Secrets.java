// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/** Small helpers for handling secret bytes: constant-time comparison and wiping. */
public final class Secrets {
  private Secrets() {}

  /**
   * Compares two byte arrays in time that depends only on their lengths (for MACs, digests and
   * keys). Null is never equal to anything.
   */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a, b);
  }

  /** Overwrites the array with zeros; null is ignored. */
  public static void wipe(byte[] secret) {
    if (secret != null) {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** Overwrites positions 0..capacity of the buffer with zeros; position and limit are kept. */
  public static void wipe(ByteBuffer buffer) {
    if (buffer == null || buffer.isReadOnly()) {
      return;
    }
    byte[] zeros = new byte[8192];
    ByteBuffer b = buffer.duplicate();
    b.clear();
    while (b.hasRemaining()) {
      b.put(zeros, 0, Math.min(zeros.length, b.remaining()));
    }
  }
}
