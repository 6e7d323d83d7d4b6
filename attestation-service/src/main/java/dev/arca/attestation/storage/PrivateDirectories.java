// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Creates the service's folders (data directory, key folder, sealed packages) readable by the
 * service's user alone. Sealed packages and wrapped keys are ciphertext, but their names and sizes
 * say which models a site runs, and no other local account has a reason to list them.
 */
public final class PrivateDirectories {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY);

  private PrivateDirectories() {}

  /**
   * Creates {@code dir} and any missing parent, each new one with mode 0700 (the umask does not
   * widen it); folders that already exist are left as they are.
   */
  public static Path create(Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p);
    }
    while (!missing.isEmpty()) {
      Path p = missing.pop();
      try {
        Files.createDirectory(p, OWNER_ONLY_ATTRIBUTE);
        // The umask can only remove bits; set them exactly in case the file system adds any.
        Files.setPosixFilePermissions(p, OWNER_ONLY);
      } catch (FileAlreadyExistsException raced) {
        // Another replica on the same data directory created it first.
        if (!Files.isDirectory(p)) {
          throw raced;
        }
      }
    }
    return dir;
  }
}
