// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

/**
 * The runtime's configuration file cannot be used. {@link #id()} is stable: {@code
 * config.malformed}, {@code config.unknown-key}, {@code config.empty-value}.
 */
public final class ConfigFileException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String id;

  public ConfigFileException(String id, String message) {
    super(message);
    this.id = id;
  }

  /** The stable failure id. */
  public String id() {
    return id;
  }
}
