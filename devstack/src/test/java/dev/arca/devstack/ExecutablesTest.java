// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

  @TempDir Path dir;

  @Test
  void findsOnlyExecutableFilesInSearchOrder() throws Exception {
    Path first = Files.createDirectory(dir.resolve("first"));
    Path second = Files.createDirectory(dir.resolve("second"));
    Files.writeString(first.resolve("swtpm"), "not executable");
    Path tool = Files.writeString(second.resolve("swtpm"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    String path = first + File.pathSeparator + second;
    assertThat(Executables.onPath("swtpm", path)).contains(tool);
    assertThat(Executables.onPath("tpm2_quote", path)).isEmpty();
    assertThat(Executables.onPath("../second/swtpm", path)).isEmpty();
    assertThat(Executables.missing(List.of("tpm2_quote", "swtpm", "../second/swtpm"), path))
        .containsExactly("tpm2_quote", "../second/swtpm");
  }

  @Test
  void findsTheJavaOfThisJvmWhenItsDirectoryIsSearched() {
    Path java = JavaLauncher.javaExecutable();
    assertThat(Executables.onPath(java.getFileName().toString(), java.getParent().toString()))
        .contains(java);
  }
}
