// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.devstack.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's systemd unit for the device runtime ({@code share/systemd/}) as an operator
 * installs it: unpacked from the tarball, checked by systemd's own {@code systemd-analyze verify}
 * (every directive known and well-formed, the command executable), and its settings file read by
 * the distribution's {@code arca runtime}. No systemd runs here (a container), so the unit is not
 * started. Needs {@code systemd-analyze} (Debian package {@code systemd}): skips naming it, or
 * fails under {@code ARCA_REQUIRE_SYSTEMD=true} (CI).
 */
class SystemdUnitTest {
  private static final String UNIT = "arca-runtime.service";

  @TempDir Path dir;
  private Path home;

  @BeforeEach
  void unpack() throws Exception {
    home = Distribution.unpack(dir.resolve("opt-arca"));
  }

  @Test
  void theRuntimeUnitPassesSystemdsVerification() throws Exception {
    String report = verify(installed(Files.readString(home.resolve("share/systemd/" + UNIT))));

    assertThat(report).as("systemd-analyze verify's findings").isEmpty();
  }

  @Test
  void verificationReportsAMistypedDirective() throws Exception {
    String unit = Files.readString(home.resolve("share/systemd/" + UNIT));
    String mistyped =
        installed(
            unit.replace("Restart=on-failure", "Restart=sometimes")
                .replace("LimitCORE=", "LimitCOR="));

    assertThat(verify(mistyped)).contains("sometimes").contains("LimitCOR");
  }

  @Test
  void theRuntimeReadsEveryKeyOfTheSettingsFileAndPassesItsHardening() throws Exception {
    Path settings = home.resolve("share/systemd/runtime.properties");
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/arca").toString(),
                "runtime",
                "--config",
                settings.toString(),
                "--check")
            .redirectErrorStream(true);
    pb.environment().remove("ARCA_JAVA_OPTS");
    pb.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    Process arca = pb.start();
    String output = new String(arca.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(arca.waitFor(2, TimeUnit.MINUTES)).isTrue();

    // Every key known and the launcher's JVM flags accepted: the first thing missing on this
    // machine is the example's key ring, which the operator installs into /etc/arca.
    assertThat(output)
        .as("arca runtime --config %s --check", settings)
        .contains("/etc/arca/publishers.json")
        .doesNotContain("unknown")
        .doesNotContain("insecure");
    assertThat(arca.exitValue()).as(output).isEqualTo(1);
  }

  /** The unit as installed with the distribution in {@link #home} instead of /opt/arca. */
  private String installed(String unit) {
    return unit.replace("/opt/arca/", home + "/");
  }

  /** {@code systemd-analyze verify}'s output for {@code unit}; fails the test on a bad exit. */
  private String verify(String unit) throws Exception {
    List<String> missing = Executables.missing(List.of("systemd-analyze"));
    if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv("ARCA_REQUIRE_SYSTEMD"))) {
      throw new IllegalStateException("checking the systemd unit needs " + missing);
    }
    Assumptions.assumeTrue(
        missing.isEmpty(), "checking the systemd unit needs systemd-analyze (package systemd)");
    Path file = Files.createDirectories(dir.resolve("units")).resolve(UNIT);
    Files.writeString(file, unit);
    Process analyze =
        new ProcessBuilder("systemd-analyze", "verify", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(analyze.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(analyze.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(analyze.exitValue()).as(output).isZero();
    return output.strip();
  }
}
