package dev.arca.tpm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds commands on the PATH, so callers can say which tool is missing before running it. */
final class Executables {
  private Executables() {}

  /** The commands of {@code names} that are not executable files on the PATH. */
  static List<String> missing(List<String> names) {
    String path = System.getenv().getOrDefault("PATH", "");
    return names.stream().filter(n -> !onPath(n, path)).toList();
  }

  /** The full path of command {@code name} on the PATH, or {@code name} itself if not found. */
  static String resolve(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return name;
  }

  private static boolean onPath(String name, String path) {
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
