// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import java.util.List;

/**
 * A note whose signatures by trusted keys all verified. Only {@link SignedNote#verify} creates one,
 * so holding a {@code VerifiedNote} means the check ran.
 */
public final class VerifiedNote {
  private final String text;
  private final List<NoteSignature> verifiedSignatures;

  VerifiedNote(String text, List<NoteSignature> verifiedSignatures) {
    this.text = text;
    this.verifiedSignatures = List.copyOf(verifiedSignatures);
  }

  /** The note text, now trustworthy, including its final newline. */
  public String text() {
    return text;
  }

  /** The signatures that verified (at least one). */
  public List<NoteSignature> verifiedSignatures() {
    return verifiedSignatures;
  }

  @Override
  public String toString() {
    return "VerifiedNote[" + verifiedSignatures + "]";
  }
}
