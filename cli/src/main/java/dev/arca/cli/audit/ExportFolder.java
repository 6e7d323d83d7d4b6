// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A log exported by {@code arca audit export}, read from its folder: each resource at the path it
 * has below the service's {@code /v1/audit/}. Nothing in the folder is trusted: it is verified
 * exactly as the service's answers would be, against a verifier key the auditor brings. A path that
 * is not a plain relative name, or that leads outside the folder (a symbolic link), is refused.
 */
final class ExportFolder implements LogSource {
  private final Path root;
  private byte[] lastCheckpoint;

  private ExportFolder(Path root) {
    this.root = root;
  }

  /**
   * Opens an export folder.
   *
   * @throws IOException if {@code dir} is not a readable folder
   */
  static ExportFolder open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not an export folder");
    }
    return new ExportFolder(dir.toRealPath());
  }

  @Override
  public byte[] fetch(String path) throws IOException {
    Path file = root.resolve(LogPaths.requireSafe(path));
    if (!Files.isRegularFile(file)) {
      throw new ExportIncompleteException(path);
    }
    if (!file.toRealPath().startsWith(root)) {
      throw new IOException("refused '" + path + "': it leads outside the export folder");
    }
    byte[] bytes = Files.readAllBytes(file);
    if (path.equals("checkpoint")) {
      lastCheckpoint = bytes.clone();
    }
    return bytes;
  }

  @Override
  public byte[] lastCheckpoint() {
    return lastCheckpoint == null ? null : lastCheckpoint.clone();
  }
}
