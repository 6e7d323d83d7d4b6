// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.transparency.TransparencyException;

/**
 * An audit entry's appraisal does not re-verify, or its record is unusable. The id is stable
 * ({@code audit.replay.<what>}); the message names what differs and never holds key material. It is
 * a {@link TransparencyException} so a log audit stops at the entry and names it.
 */
public final class ReplayException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  /**
   * @param id stable id, {@code audit.replay.*}
   * @param message what differs, for a person
   */
  public ReplayException(String id, String message) {
    super(id, message);
  }

  /**
   * @param id stable id, {@code audit.replay.*}
   * @param message what differs, for a person
   * @param cause the underlying failure
   */
  public ReplayException(String id, String message, Throwable cause) {
    super(id, message, cause);
  }
}
