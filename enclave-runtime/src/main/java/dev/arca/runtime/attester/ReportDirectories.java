// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates and removes configfs-tsm report directories. On Linux a plain {@code mkdir} under {@code
 * <tsm>/report} makes the kernel populate the directory with its attribute files ({@code inblob},
 * {@code outblob}, {@code provider}, {@code generation}, ...) and {@code rmdir} releases them.
 * Tests substitute the kernel's part of these two calls; every read and write of an attribute goes
 * through the real file system either way.
 */
interface ReportDirectories {

  /** The kernel: {@code mkdir} and {@code rmdir}. */
  ReportDirectories KERNEL =
      new ReportDirectories() {
        @Override
        public void create(Path dir) throws IOException {
          Files.createDirectory(dir);
        }

        @Override
        public void remove(Path dir) throws IOException {
          Files.delete(dir);
        }
      };

  /** Creates report directory {@code dir} with its attribute files. */
  void create(Path dir) throws IOException;

  /** Removes report directory {@code dir}. */
  void remove(Path dir) throws IOException;
}
