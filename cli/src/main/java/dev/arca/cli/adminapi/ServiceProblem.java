// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.adminapi;

/**
 * The service refused a request or could not be reached: the RFC 9457 problem it answered (its
 * stable {@code type} id, HTTP status and detail), or status 0 when there was no answer. The
 * message is one line that says what to do next; it never holds a token or key.
 */
public final class ServiceProblem extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;

  /**
   * @param status the HTTP status, or 0 when the service did not answer
   * @param type the problem id without the {@code urn:arca:problem:} prefix (e.g. {@code
   *     conflict}), {@code unreachable} or {@code unexpected-answer}
   */
  public ServiceProblem(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  /** The HTTP status, or 0 when the service did not answer. */
  public int status() {
    return status;
  }

  /** The stable problem id, e.g. {@code unauthorized}, {@code policy-invalid}. */
  public String type() {
    return type;
  }
}
