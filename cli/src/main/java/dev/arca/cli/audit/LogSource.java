// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import java.io.IOException;

/**
 * Where {@code arca audit verify} reads a log's resources from: a live service ({@link ServiceLog})
 * or a folder written by {@code arca audit export} ({@link ExportFolder}). Paths are relative to
 * the log prefix: {@code checkpoint}, {@code tile/0/000}, {@code tile/entries/000}, {@code
 * evidence/<sha256>}.
 */
interface LogSource {
  /**
   * Returns the resource at {@code path}.
   *
   * @throws IOException if it cannot be read (not served, missing from the export)
   */
  byte[] fetch(String path) throws IOException;

  /** The checkpoint bytes read last, or null: exactly the note that was verified. */
  byte[] lastCheckpoint();
}
