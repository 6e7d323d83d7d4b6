// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import java.io.IOException;

/**
 * A resource {@code arca audit verify --export} needs is not in the export folder. The export is
 * incomplete, so the log does not verify from it: a failed verification (exit 1), not a usage
 * error.
 */
final class ExportIncompleteException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String path;

  ExportIncompleteException(String path) {
    super("the export has no " + path);
    this.path = path;
  }

  /** The missing resource, relative to the export folder. */
  String path() {
    return path;
  }
}
