// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The shape of a log resource path, checked before it becomes a file name. Paths are built from
 * entry contents (an appraisal names its evidence by digest), so an entry written to escape the
 * export folder ({@code evidence/../../x}) must be refused, not resolved.
 */
final class LogPaths {
  /** Relative, slash-separated names of letters, digits, '.', '_' and '-'; no empty segment. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  private LogPaths() {}

  /**
   * Returns {@code path} if it is a relative path with no {@code .} or {@code ..} segment.
   *
   * @throws IOException otherwise (a refused read, like any resource that cannot be read)
   */
  static String requireSafe(String path) throws IOException {
    if (!SHAPE.matcher(path).matches()) {
      throw refused(path);
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw refused(path);
      }
    }
    return path;
  }

  private static IOException refused(String path) {
    return new IOException("refused '" + path + "': not a relative log resource path");
  }
}
