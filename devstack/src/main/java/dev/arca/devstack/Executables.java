package dev.arca.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds optional tools on the {@code PATH}, so the demo can say plainly which path it takes (swtpm
 * installed: a software TPM; otherwise the {@code dev} attester).
 */
public final class Executables {

  private Executables() {}

  /** The first executable file called {@code name} in a {@code PATH} directory, if any. */
  public static Optional<Path> onPath(String name) {
    return onPath(name, System.getenv("PATH"));
  }

  /**
   * As {@link #onPath(String)} with an explicit search path (entries split by the OS separator).
   */
  public static Optional<Path> onPath(String name, String searchPath) {
    if (name.contains("/") || name.contains(File.separator) || searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
