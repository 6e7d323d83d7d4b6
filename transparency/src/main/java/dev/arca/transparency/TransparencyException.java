// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency;

/**
 * Base of every checked failure in this module. Each failure carries a stable {@link #id()} (for
 * example {@code transparency.proof.root-mismatch}) that callers can map to an HTTP answer, a CLI
 * exit code or an audit event without parsing the message. Messages never contain secrets.
 */
public class TransparencyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String id;

  /**
   * @param id stable, dotted identifier of the failure kind
   * @param message what went wrong and what a person can do about it
   */
  public TransparencyException(String id, String message) {
    super(message);
    this.id = id;
  }

  /**
   * @param id stable, dotted identifier of the failure kind
   * @param message what went wrong and what a person can do about it
   * @param cause underlying failure
   */
  public TransparencyException(String id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  /** Stable identifier of this failure kind; never changes between releases. */
  public String id() {
    return id;
  }
}
