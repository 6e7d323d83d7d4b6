// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.state;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files in the runtime's state folder, replaced whole so a crash never leaves half of one. */
public final class StateFiles {
  private StateFiles() {}

  /**
   * Replaces {@code file} with {@code content}: written beside it as {@code <name>.tmp}, then
   * renamed over it (atomically where the file system can).
   */
  public static void replace(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, content);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
