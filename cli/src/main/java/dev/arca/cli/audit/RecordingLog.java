// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The source {@code arca audit export} verifies through: every answer of the service is also
 * written into the (temporary) export folder at its path, so the export holds exactly what
 * verified. Paths are checked before they become file names.
 */
final class RecordingLog implements LogSource {
  private final LogSource source;
  private final Path folder;
  private final Set<String> recorded = new HashSet<>();

  RecordingLog(LogSource source, Path folder) {
    this.source = source;
    this.folder = folder;
  }

  @Override
  public byte[] fetch(String path) throws IOException {
    Path file = folder.resolve(LogPaths.requireSafe(path));
    byte[] bytes = source.fetch(path);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    recorded.add(path);
    return bytes;
  }

  /** Fetches and records {@code path} unless it was recorded already. */
  void ensure(String path) throws IOException {
    if (!recorded.contains(path)) {
      fetch(path);
    }
  }

  /** Resources recorded whose path starts with {@code prefix}. */
  long count(String prefix) {
    return recorded.stream().filter(p -> p.startsWith(prefix)).count();
  }

  @Override
  public byte[] lastCheckpoint() {
    return source.lastCheckpoint();
  }
}
