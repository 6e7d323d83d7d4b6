// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks from outside that {@code prctl(PR_SET_DUMPABLE, 0)} really takes effect: the kernel hands
 * a non-dumpable process's {@code /proc/<pid>/} files to root and refuses a same-user process
 * (without CAP_SYS_PTRACE) read access to them, as it refuses ptrace attach. Root bypasses both, so
 * the probe and the reader run as user {@code nobody} (65534) via {@code setpriv}; the control is
 * the same probe without the prctl call. Needs root and util-linux {@code setpriv}, else skips.
 */
class NonDumpableProcessTest {
  private static final String NOBODY = "65534";

  @TempDir Path dir;

  @Test
  void theKernelHidesANonDumpableProcessFromItsOwnUser() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to run the probe as another user (setpriv)");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs util-linux setpriv at /usr/bin");

    // The probe must be readable by nobody: this module's classes and a copy of JNA's jar.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jna =
        Files.copy(
            Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
            dir.resolve("jna.jar"));
    Files.setPosixFilePermissions(jna, PosixFilePermissions.fromString("rw-r--r--"));
    Path jnaTmp = Files.createDirectories(dir.resolve("jna-tmp"));
    Files.setPosixFilePermissions(jnaTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    String cp =
        String.join(
            File.pathSeparator,
            Path.of(Hardening.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString(),
            Path.of(DumpableProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString(),
            jna.toString());

    Process control = probe(cp, jnaTmp, "control");
    Process hardened = probe(cp, jnaTmp, "harden");
    try {
      assertThat(owner(control.pid()))
          .as("owner of a dumpable process's /proc files")
          .isEqualTo(65534);
      assertThat(readAsNobody(control.pid())).as("same-user read of a dumpable process").isZero();

      assertThat(owner(hardened.pid()))
          .as("owner of a non-dumpable process's /proc files")
          .isZero();
      assertThat(readAsNobody(hardened.pid()))
          .as("same-user read of a non-dumpable process")
          .isNotZero();
    } finally {
      control.destroyForcibly();
      hardened.destroyForcibly();
    }
  }

  private static Process probe(String cp, Path jnaTmp, String mode) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-Djna.tmpdir=" + jnaTmp,
                "-Djava.io.tmpdir=" + jnaTmp,
                "-cp",
                cp,
                DumpableProbe.class.getName(),
                mode));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("probe %s started", mode).isEqualTo("ready");
    return p;
  }

  private static int owner(long pid) throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc/" + pid + "/environ"), "unix:uid");
  }

  /** Exit code of {@code cat /proc/<pid>/environ} run as nobody: 0 when readable. */
  private static int readAsNobody(long pid) throws Exception {
    Process cat =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                "cat",
                "/proc/" + pid + "/environ")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return cat.exitValue();
  }
}
