// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.checkpoint;

import dev.arca.transparency.note.NoteSigner;
import dev.arca.transparency.note.SignedNote;
import java.util.List;
import java.util.Objects;

/**
 * Signs tree heads of one log as C2SP checkpoints. The caller must never sign two checkpoints that
 * are not consistent (c2sp.org/tlog-checkpoint, "Signatures"): sign only roots computed from its
 * own append-only store.
 */
public final class CheckpointSigner {
  private final String origin;
  private final NoteSigner key;

  /**
   * @param origin the log's origin line; the key name should equal it
   * @param key the log's signing key
   */
  public CheckpointSigner(String origin, NoteSigner key) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** The log's origin line. */
  public String origin() {
    return origin;
  }

  /** Signs the tree head {@code (size, rootHash)} and returns the note. */
  public SignedNote sign(long size, byte[] rootHash) {
    return sign(new Checkpoint(origin, size, rootHash));
  }

  /**
   * Signs a checkpoint of this log.
   *
   * @throws IllegalArgumentException if the checkpoint's origin is another log's
   */
  public SignedNote sign(Checkpoint checkpoint) {
    if (!checkpoint.origin().equals(origin)) {
      throw new IllegalArgumentException("checkpoint origin is not " + origin);
    }
    return SignedNote.sign(checkpoint.toText(), List.of(key));
  }
}
