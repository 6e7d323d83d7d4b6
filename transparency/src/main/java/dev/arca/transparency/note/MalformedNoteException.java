// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import dev.arca.transparency.TransparencyException;

/**
 * Bytes that are not a well-formed signed note, verifier key, signer key or checkpoint. Ids start
 * with {@code note.malformed} or {@code checkpoint.malformed}; the message names the rule that was
 * broken.
 */
public final class MalformedNoteException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  /** See {@link TransparencyException#TransparencyException(String, String)}. */
  public MalformedNoteException(String id, String message) {
    super(id, message);
  }
}
