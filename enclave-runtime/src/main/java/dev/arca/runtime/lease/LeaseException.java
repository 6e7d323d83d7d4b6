// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

/** A request falls outside what the runtime's grant allows. */
public final class LeaseException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String id;

  public LeaseException(String id, String message) {
    super(message);
    this.id = id;
  }

  /** Stable id of the refusal. */
  public String id() {
    return id;
  }
}
