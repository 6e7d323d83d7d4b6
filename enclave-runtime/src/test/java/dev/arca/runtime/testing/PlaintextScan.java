// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Searches every regular file under some folders for a byte sequence (a distinctive slice of a
 * model's plaintext). Symbolic links are not followed; files that vanish while the walk runs (other
 * processes share the temp folder) are skipped; unreadable files are reported, not skipped
 * silently.
 */
public final class PlaintextScan {
  /** What the scan saw. */
  public record Result(List<Path> hits, List<Path> unreadable, long filesScanned, long bytes) {}

  private PlaintextScan() {}

  /** Scans {@code roots} (missing roots are ignored) for {@code needle}. */
  public static Result scan(byte[] needle, Path... roots) throws IOException {
    List<Path> hits = new ArrayList<>();
    List<Path> unreadable = new ArrayList<>();
    long[] counts = new long[2];
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE;
              }
              try {
                counts[0]++;
                counts[1] += attrs.size();
                if (contains(file, needle)) {
                  hits.add(file);
                }
              } catch (AccessDeniedException e) {
                unreadable.add(file);
              } catch (IOException e) {
                // vanished or changed while scanning: another process's temp file
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (e instanceof AccessDeniedException) {
                unreadable.add(file);
              } else if (!(e instanceof NoSuchFileException)) {
                unreadable.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    }
    return new Result(hits, unreadable, counts[0], counts[1]);
  }

  /** Streams the file with an overlap of needle length - 1, so no match across reads is lost. */
  static boolean contains(Path file, byte[] needle) throws IOException {
    byte[] buf = new byte[1 << 20];
    int keep = needle.length - 1;
    int filled = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf, filled, buf.length - filled)) > 0; ) {
        filled += n;
        if (indexOf(buf, filled, needle) >= 0) {
          return true;
        }
        if (filled > keep) {
          System.arraycopy(buf, filled - keep, buf, 0, keep);
          filled = keep;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      if (hay[i] != needle[0]) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** {@code length} bytes of {@code from} starting at {@code offset}. */
  public static byte[] slice(byte[] from, int offset, int length) {
    return Arrays.copyOfRange(from, offset, offset + length);
  }
}
