// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds optional tools on the {@code PATH}, so a caller can say plainly which tool is missing
 * before running it (the demo: swtpm installed, a software TPM; otherwise the {@code dev} attester;
 * the TPM tests: skip or fail naming the tool).
 */
public final class Executables {

  private Executables() {}

  /** The first executable file called {@code name} in a {@code PATH} directory, if any. */
  public static Optional<Path> onPath(String name) {
    return onPath(name, System.getenv("PATH"));
  }

  /**
   * As {@link #onPath(String)} with an explicit search path (entries split by the OS separator). A
   * name holding a path separator is never found: only bare command names are looked up.
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

  /** The commands of {@code names}, in their order, that {@link #onPath(String)} does not find. */
  public static List<String> missing(List<String> names) {
    return missing(names, System.getenv("PATH"));
  }

  /** As {@link #missing(List)} with an explicit search path. */
  public static List<String> missing(List<String> names, String searchPath) {
    return names.stream().filter(n -> onPath(n, searchPath).isEmpty()).toList();
  }
}
