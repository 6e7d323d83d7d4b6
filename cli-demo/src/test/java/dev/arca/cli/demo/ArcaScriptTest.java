// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./arca} script's first-run build: one line per module on a terminal,
 * quiet otherwise, Maven's own end of log when it fails. The script runs for real, in a copy of the
 * repository's root where {@code mvnw} replays a recorded Maven build ({@code maven-build.txt}) and
 * {@code java} only says it ran; {@code script} (util-linux) gives it a terminal.
 */
class ArcaScriptTest {
  private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("arca");

  @TempDir Path root;
  private Path bin;

  @BeforeEach
  void fakeRepository() throws IOException {
    Files.copy(SCRIPT, root.resolve("arca"), StandardCopyOption.COPY_ATTRIBUTES);
    try (InputStream in = ArcaScriptTest.class.getResourceAsStream("maven-build.txt")) {
      Files.write(root.resolve("maven-build.txt"), in.readAllBytes());
    }
    // Records its arguments, replays the build (quiet with -q), and fails when told to.
    executable(
        root.resolve("mvnw"),
        "echo \"$@\" > \"$(dirname \"$0\")/mvnw.args\"",
        "if [[ \" $* \" != *' -q '* ]]; then cat \"$(dirname \"$0\")/maven-build.txt\"; fi",
        "if [ -n \"${FAKE_MAVEN_FAILS:-}\" ]; then",
        "  echo '[ERROR] COMPILATION ERROR : Broken.java:[3,1] class expected'",
        "  echo '[INFO] BUILD FAILURE'",
        "  exit 1",
        "fi");
    bin = Files.createDirectories(root.resolve("bin"));
    executable(bin.resolve("java"), "echo \"java ran: $*\"");
  }

  @Test
  void theFilterTurnsMavensOutputIntoOneLinePerModule() throws Exception {
    Result r =
        run(List.of("bash", "-c", "source ./arca && build_progress < maven-build.txt"), false);
    assertThat(r.code()).isZero();
    assertThat(r.output())
        .isEqualTo(
            """
            arca: building 1/3 arca-parent
            arca: building 2/3 arca-crypto
            arca: building 3/3 arca-cli-demo
            """);
  }

  @Test
  void withoutATerminalTheBuildIsQuietAsBefore() throws Exception {
    Result r = run(List.of(root.resolve("arca").toString(), "--version"), false);
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output())
        .isEqualTo(
            "arca: building the command line (first run or sources changed)...\n"
                + "java ran: -XX:+DisableAttachMechanism -Darca.home="
                + root.toRealPath()
                + " -jar "
                + root.toRealPath()
                + "/cli-demo/target/arca-cli-demo.jar --version\n");
    assertThat(Files.readString(root.resolve("mvnw.args"))).contains(" -q");
  }

  @Test
  void onATerminalEachModuleIsNamedAsItStarts() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")),
        "needs script(1) (Debian package bsdutils) to fake a terminal; .ci/run installs it");
    Result r = run(terminal(root.resolve("arca") + " --version"), false);
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output().replace("\r", ""))
        .contains(
            """
            arca: building the command line (first run or sources changed)...
            arca: building 1/3 arca-parent
            arca: building 2/3 arca-crypto
            arca: building 3/3 arca-cli-demo
            java ran:""")
        .doesNotContain("[INFO]");
    assertThat(Files.readString(root.resolve("mvnw.args"))).doesNotContain("-q");
  }

  @Test
  void onATerminalAFailedBuildShowsTheEndOfMavensLog() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")),
        "needs script(1) (Debian package bsdutils) to fake a terminal; .ci/run installs it");
    Result r = run(terminal(root.resolve("arca") + " --version"), true);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.output().replace("\r", ""))
        .contains("arca: building 3/3 arca-cli-demo\n")
        .contains("arca: the build failed; the end of its log (all of it in ")
        .contains("[ERROR] COMPILATION ERROR : Broken.java:[3,1] class expected")
        .contains("[INFO] BUILD FAILURE")
        .doesNotContain("java ran");
  }

  private static List<String> terminal(String command) {
    return List.of("/usr/bin/script", "-q", "-e", "-c", command, "/dev/null");
  }

  private record Result(int code, String output) {}

  private Result run(List<String> command, boolean mavenFails) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TMPDIR", root.toString()); // where a failed build's log is kept
    pb.environment().remove("ARCA_NO_BUILD");
    pb.environment().remove("ARCA_JAVA_OPTS");
    if (mavenFails) {
      pb.environment().put("FAKE_MAVEN_FAILS", "1");
    }
    pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), output);
  }

  private static void executable(Path file, String... lines) throws IOException {
    Files.writeString(file, "#!/usr/bin/env bash\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
