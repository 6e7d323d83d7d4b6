// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.checkpoint;

import dev.arca.transparency.note.MalformedNoteException;
import dev.arca.transparency.note.NoteVerificationException;
import dev.arca.transparency.note.NoteVerifier;
import dev.arca.transparency.note.SignedNote;
import java.util.List;
import java.util.Objects;

/**
 * Verifies checkpoints of one log: the note must carry a valid signature by one of the log's keys
 * (others, such as witness cosignatures, are ignored), its text must be a well-formed checkpoint,
 * and its origin must be the expected one. Thread-safe.
 */
public final class CheckpointVerifier {
  private final String origin;
  private final List<NoteVerifier> logKeys;

  /**
   * @param origin the origin line the log uses
   * @param logKeys the log's verifier keys (pinned, for example from configuration)
   */
  public CheckpointVerifier(String origin, List<? extends NoteVerifier> logKeys) {
    this.origin = Objects.requireNonNull(origin, "origin");
    if (logKeys.isEmpty()) {
      throw new IllegalArgumentException("need at least one log key");
    }
    this.logKeys = List.copyOf(logKeys);
  }

  /**
   * Parses and verifies a checkpoint note.
   *
   * @throws MalformedNoteException if the note or its text is malformed
   * @throws NoteVerificationException {@code note.bad-signature}, {@code note.no-trusted-signature}
   *     or {@code checkpoint.origin-mismatch}
   */
  public Checkpoint verify(byte[] note) throws MalformedNoteException, NoteVerificationException {
    return verify(SignedNote.parse(note));
  }

  /** As {@link #verify(byte[])} for an already parsed note. */
  public Checkpoint verify(SignedNote note)
      throws MalformedNoteException, NoteVerificationException {
    String text = note.verify(logKeys).text();
    Checkpoint checkpoint = Checkpoint.parse(text);
    if (!checkpoint.origin().equals(origin)) {
      throw new NoteVerificationException(
          "checkpoint.origin-mismatch",
          "checkpoint is from log '" + checkpoint.origin() + "', expected '" + origin + "'");
    }
    return checkpoint;
  }
}
