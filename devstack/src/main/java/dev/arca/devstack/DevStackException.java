// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

/**
 * A local process of the dev stack could not be started, did not become ready, or refused a
 * request. Checked, so callers (the demo) decide how to report it; {@link #id()} is stable and the
 * message says what to do next. Messages never contain a secret (passwords, tokens).
 */
public final class DevStackException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A child process exited before it became ready. */
  public static final String EXITED = "devstack.exited";

  /** A child process stayed alive but did not become ready in time. */
  public static final String NOT_READY = "devstack.not-ready";

  /** A required file or directory (Keycloak distribution, realm, jar) is missing. */
  public static final String MISSING = "devstack.missing";

  /** A process could not be started (bad command, permissions, I/O). */
  public static final String START_FAILED = "devstack.start-failed";

  /** The identity provider refused to issue a token, or answered something unreadable. */
  public static final String TOKEN_REFUSED = "devstack.token-refused";

  /** The thread was interrupted while waiting (Ctrl-C, shutdown). */
  public static final String INTERRUPTED = "devstack.interrupted";

  private final String id;

  /**
   * @param id one of the constants of this class
   * @param message what went wrong and what to do next; never a secret
   */
  public DevStackException(String id, String message) {
    super(message);
    this.id = id;
  }

  /**
   * @param id one of the constants of this class
   * @param message what went wrong and what to do next; never a secret
   * @param cause the underlying failure
   */
  public DevStackException(String id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  /** Stable identifier, e.g. {@code devstack.not-ready}. */
  public String id() {
    return id;
  }

  @Override
  public String getMessage() {
    return id + ": " + super.getMessage();
  }
}
