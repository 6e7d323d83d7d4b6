// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The commit a run measured, so a figure can be traced to its code. */
final class Git {
  private Git() {}

  /**
   * The short commit id of {@code root}'s checkout, with {@code +dirty} when tracked files have
   * changes; {@code unknown} outside a git checkout or without git.
   */
  static String describe(Path root) throws InterruptedException {
    String head = git(root, "rev-parse", "--short=12", "HEAD");
    if (head.isEmpty()) {
      return "unknown";
    }
    String changes = git(root, "status", "--porcelain", "--untracked-files=no");
    return changes.isEmpty() ? head : head + "+dirty";
  }

  private static String git(Path root, String... args) throws InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process p =
          new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return "";
      }
      return out;
    } catch (IOException e) {
      return "";
    }
  }
}
