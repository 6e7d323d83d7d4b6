// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.Objects;

/**
 * A place in a policy or fixture file, as a person's editor shows it.
 *
 * @param file the file name as given to the loader (never null; {@code <string>} for text that did
 *     not come from a file)
 * @param line 1-based line
 * @param column 1-based column
 */
public record SourceLocation(String file, int line, int column) {

  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** {@code file:line:column}, the form compilers and editors understand. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
