// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.devstack.DevStackException;
import dev.arca.devstack.RepositoryLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

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

  /**
   * A container of the Debian image the other images start from (a JRE 17; no JDK, Maven or
   * checkout) that unpacks the tarball into an empty folder as the unprivileged user {@code nobody}
   * (PostgreSQL refuses root; initdb needs an account in /etc/passwd) and runs its {@code arca}
   * with {@code args}. The caller adds network, settings and how to wait.
   */
  static GenericContainer<?> inJreOnlyContainer(String... args)
      throws IOException, DevStackException {
    List<String> command = new ArrayList<>();
    command.add("sh");
    command.add("-c");
    command.add(
        "mkdir -p /tmp/empty && cd /tmp/empty && tar -xzf /tmp/arca.tar.gz"
            + " && exec ./arca-*/bin/arca \"$@\"");
    command.add("arca");
    command.addAll(List.of(args));
    String image = System.getenv().getOrDefault("ARCA_DEBIAN_IMAGE", "arca/debian:bookworm");
    return new GenericContainer<>(DockerImageName.parse(image))
        .withCopyFileToContainer(MountableFile.forHostPath(tarball(), 0644), "/tmp/arca.tar.gz")
        .withCreateContainerCmdModifier(cmd -> cmd.withUser("nobody"))
        .withCommand(command.toArray(String[]::new));
  }
}
