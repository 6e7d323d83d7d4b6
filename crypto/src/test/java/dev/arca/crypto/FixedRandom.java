// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto;

import java.security.SecureRandom;

/**
 * Test-only randomness that hands out fixed bytes, so RFC examples with fixed ephemeral keys and
 * nonces can be reproduced byte for byte. Fails loudly if asked for more than it holds.
 */
public final class FixedRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final byte[][] chunks;
  private int next;

  public FixedRandom(byte[]... chunks) {
    this.chunks = chunks;
  }

  @Override
  public void nextBytes(byte[] bytes) {
    if (next >= chunks.length) {
      throw new IllegalStateException("FixedRandom exhausted");
    }
    byte[] c = chunks[next++];
    if (c.length != bytes.length) {
      throw new IllegalStateException(
          "FixedRandom chunk " + (next - 1) + " has " + c.length + " bytes, asked " + bytes.length);
    }
    System.arraycopy(c, 0, bytes, 0, c.length);
  }

  public boolean exhausted() {
    return next == chunks.length;
  }
}
