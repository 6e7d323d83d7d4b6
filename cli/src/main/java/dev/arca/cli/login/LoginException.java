// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

/**
 * A login failed or a cached token cannot be used. {@link #id()} is stable ({@code login.refused},
 * {@code login.unreachable}, {@code login.expired}, {@code login.missing}, {@code login.denied},
 * {@code login.timeout}, {@code login.store}); the message says what to do next and never holds a
 * secret.
 */
public final class LoginException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String id;

  public LoginException(String id, String message) {
    super(message);
    this.id = id;
  }

  public LoginException(String id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  /** The stable failure id. */
  public String id() {
    return id;
  }
}
