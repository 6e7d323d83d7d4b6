// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.devstack.DevStackException;
import dev.arca.devstack.RepositoryLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The distribution tarball the {@code dist} module built, as the tests install it. */
final class Distribution {
  private Distribution() {}

  /** The one {@code dist/target/arca-<version>.tar.gz} of this checkout's build. */
  static Path tarball() throws IOException, DevStackException {
    Path target = RepositoryLayout.find(Path.of("")).root().resolve("dist/target");
    try (var files = Files.list(target)) {
      List<Path> found =
          files.filter(f -> f.getFileName().toString().matches("arca-.+\\.tar\\.gz")).toList();
      assertThat(found).as("the distribution tarball in %s", target).hasSize(1);
      return found.get(0);
    }
  }

  /**
   * Unpacks the tarball into {@code into} (created) without its top folder, as {@code
   * docs/deploy.md} does, and returns {@code into}.
   */
  static Path unpack(Path into) throws IOException, InterruptedException, DevStackException {
    Files.createDirectories(into);
    Process tar =
        new ProcessBuilder(
                "tar", "-xzf", tarball().toString(), "-C", into.toString(), "--strip-components=1")
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(tar.exitValue()).as("tar: %s", output).isZero();
    return into;
  }
}
