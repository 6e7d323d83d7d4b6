// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import dev.arca.crypto.Secrets;
import java.nio.ByteBuffer;

/**
 * A model decrypted in memory: the verified manifest and the plaintext in a direct {@link
 * ByteBuffer} (position 0, limit = plaintext size). {@link #close()} wipes the plaintext: use
 * try-with-resources and close as soon as the inference session has been created from it.
 */
public final class OpenedModel implements AutoCloseable {
  private final Manifest manifest;
  private final ByteBuffer plaintext;
  private volatile boolean closed;

  OpenedModel(Manifest manifest, ByteBuffer plaintext) {
    this.manifest = manifest;
    this.plaintext = plaintext;
  }

  /** The manifest whose publisher signature verified. */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * The plaintext model: a view of the output buffer, position 0, limit = size. Valid until {@link
   * #close()}.
   *
   * @throws IllegalStateException after close
   */
  public ByteBuffer plaintext() {
    if (closed) {
      throw new IllegalStateException("opened model was closed and wiped");
    }
    return plaintext.duplicate();
  }

  /** Wipes the plaintext bytes. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Secrets.wipe(plaintext);
    }
  }

  @Override
  public String toString() {
    return "OpenedModel[" + manifest + (closed ? ", wiped" : "") + "]";
  }
}
