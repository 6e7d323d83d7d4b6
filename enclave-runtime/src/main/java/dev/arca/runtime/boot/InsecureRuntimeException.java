// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

/** The runtime was started in a way that would expose keys or models, and refuses to run. */
public final class InsecureRuntimeException extends Exception {
  private static final long serialVersionUID = 1L;

  public InsecureRuntimeException(String message) {
    super(message);
  }
}
