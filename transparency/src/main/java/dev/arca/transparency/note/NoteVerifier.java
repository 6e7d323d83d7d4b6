// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

/**
 * A trusted public key that checks note signatures. The pair ({@link #keyName()}, {@link #keyId()})
 * identifies the key; a note verifier only looks at signatures carrying both.
 */
public interface NoteVerifier {
  /** Name of the key, as in signature lines. */
  String keyName();

  /** 32-bit key id, as in signature lines. */
  int keyId();

  /**
   * Checks {@code signature} (without the key id prefix) over the note text.
   *
   * @throws NoteVerificationException with id {@code note.bad-signature} if it does not verify
   */
  void verify(byte[] text, byte[] signature) throws NoteVerificationException;
}
