// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import dev.arca.transparency.TransparencyException;

/**
 * A well-formed note that must not be trusted. Ids:
 *
 * <ul>
 *   <li>{@code note.bad-signature}: a signature by a known key did not verify
 *   <li>{@code note.no-trusted-signature}: no signature by a known key
 *   <li>{@code checkpoint.origin-mismatch}: a checkpoint from another log
 * </ul>
 */
public final class NoteVerificationException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  /** See {@link TransparencyException#TransparencyException(String, String)}. */
  public NoteVerificationException(String id, String message) {
    super(id, message);
  }
}
