// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.update;

/** A model version lower than one already accepted was offered. */
public final class RollbackException extends Exception {
  private static final long serialVersionUID = 1L;

  public RollbackException(String message) {
    super(message);
  }

  /** Stable id. */
  public String id() {
    return "update.rollback";
  }
}
