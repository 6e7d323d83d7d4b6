// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.devstack.Executables;
import dev.arca.devstack.KeycloakDistribution;
import dev.arca.devstack.RepositoryLayout;
import dev.arca.devstack.Swtpm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows {@code docs/deploy.md} as an operator would: every block marked {@code sh deploy-step}
 * runs, in order, in one bash shell ({@link GuideScript}): Keycloak 26.5 in production mode ({@code
 * kc.sh start}) unpacked from its distribution zip with the deployment realm, people created with
 * {@code kcadm.sh}, Arca's distribution tarball unpacked, {@code arca service} on an embedded
 * PostgreSQL, a policy, a sealed and published model, a software TPM (swtpm) enrolled with {@code
 * device enroll --tpm}, the runtime attesting and serving, {@code arca infer}, and {@code arca
 * audit verify}; then the guide's own "Stopping" block.
 *
 * <p>Substituted, only through the settings the guide's first block names: {@code DEPLOY} (a
 * temporary folder), {@code ARCA_TARBALL} ({@code dist/target/arca-<version>.tar.gz}, built by
 * Maven before this test), {@code KEYCLOAK_ZIP} (the zip in the local Maven repository, where the
 * build put it) and free loopback ports. The script runs in an empty folder, with nothing of the
 * checkout on its way: {@code HOME} is a temporary folder, and so is the CLI's token cache ({@code
 * ARCA_CONFIG_DIR}, the CLI's documented setting: Java's {@code user.home} ignores {@code HOME}).
 * Not run: the {@code text} blocks — the build (Maven did it), the zip's download (the build did
 * it) and the browser logins of people (the device authorization grant needs a person; the guide's
 * client-credentials logins for automation run instead).
 *
 * <p>Asserts that the guide runs to its end, that the answer equals the model's expected output
 * within 1e-5, that the auditor's {@code audit verify} verified the log, and that the guide's
 * "Stopping" block left no process of the ones it started; the process group of the script is
 * stopped in any case. Needs bash, curl, unzip, openssl, setsid and the swtpm tools: skips naming
 * what is missing, or fails under {@code ARCA_REQUIRE_SWTPM=true} (CI). One run: about 3 minutes on
 * 2 cores (Keycloak's first production start builds it).
 */
class DeployGuideTest {
  private static final List<String> SHELL_TOOLS =
      List.of("bash", "curl", "unzip", "openssl", "setsid", "od", "awk");
  private static final Duration GUIDE_TIMEOUT = Duration.ofMinutes(20);

  @TempDir Path dir;

  @Test
  void theDeploymentGuideRunsFromNothingToAnAnsweredInferenceAndAVerifiedLog() throws Exception {
    List<String> missing = new ArrayList<>(Swtpm.missingToolsForTests());
    missing.addAll(Executables.missing(SHELL_TOOLS));
    if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv(Swtpm.REQUIRED_ENV))) {
      throw new IllegalStateException("the deployment guide needs " + missing);
    }
    Assumptions.assumeTrue(missing.isEmpty(), "the deployment guide needs " + missing);

    RepositoryLayout repo = RepositoryLayout.find(Path.of(""));
    Path guide = repo.root().resolve("docs/deploy.md");
    List<GuideScript.Step> steps = GuideScript.steps(guide);
    assertThat(steps).as("runnable blocks of " + guide).hasSizeGreaterThan(10);
    String zipName = "keycloak-quarkus-dist-" + KeycloakDistribution.version() + ".zip";
    assertThat(Files.readString(guide))
        .as("the guide names the Keycloak version the build uses")
        .contains(zipName);

    Path deploy = dir.resolve("deploy");
    Path home = Files.createDirectories(dir.resolve("home"));
    Path script = dir.resolve("deploy-guide.sh");
    Path groupFile = dir.resolve("guide.pgid");
    Files.writeString(script, GuideScript.bash(steps, groupFile), StandardCharsets.UTF_8);
    Path log = dir.resolve("deploy-guide.log");

    ProcessBuilder pb =
        new ProcessBuilder("setsid", "-w", "bash", script.toString())
            .directory(Files.createDirectories(dir.resolve("empty")).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // Only the guide's own settings: nothing of this machine's Arca, Quarkus or Keycloak setup.
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("ARCA_")
                    || k.startsWith("QUARKUS_")
                    || k.startsWith("KC_")
                    || k.startsWith("JAVA_OPTS"));
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    env.put("PATH", javaBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", home.toString());
    // The CLI's token cache (Java's user.home is the account's, whatever HOME says).
    env.put("ARCA_CONFIG_DIR", home.resolve(".arca").toString());
    env.put("DEPLOY", deploy.toString());
    env.put("ARCA_TARBALL", Distribution.tarball().toString());
    env.put("KEYCLOAK_ZIP", keycloakZip(zipName).toString());
    // Free now, used minutes later: below the kernel's ephemeral range (32768-60999), which
    // outgoing connections and other tests' "port 0" binds draw from meanwhile.
    int base = freePorts(6);
    env.put("KC_PORT", Integer.toString(base));
    env.put("KC_MGMT_PORT", Integer.toString(base + 1));
    env.put("ARCA_PORT", Integer.toString(base + 2));
    env.put("RUNTIME_PORT", Integer.toString(base + 3));
    env.put("SWTPM_PORT", Integer.toString(base + 4)); // and its control port, base + 5

    long start = System.nanoTime();
    Process bash = pb.start();
    ProcessGroup group = null;
    try {
      boolean ended = bash.waitFor(GUIDE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      group = readGroup(groupFile);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended)
          .as("the guide ended within %s; output:%n%s", GUIDE_TIMEOUT, output)
          .isTrue();
      assertThat(bash.exitValue())
          .as("exit code of the guide's script; output:%n%s%s", output, logsOf(deploy))
          .isZero();
      System.out.printf(
          "DeployGuideTest: %d blocks of docs/deploy.md ran in %d s%n",
          steps.size(), Duration.ofNanos(System.nanoTime() - start).toSeconds());

      output.lines().filter(l -> l.startsWith("### ")).forEach(System.out::println);
      assertThat(output).contains("### guide done").contains("ok: log ");
      Tensor got =
          TensorProtoCodec.decode(Files.readAllBytes(deploy.resolve("app/answer.pb")), "output");
      Tensor want =
          TensorProtoCodec.decode(
              Files.readAllBytes(
                  repo.root()
                      .resolve("cli-demo/src/main/resources/dev/arca/cli/demo/conv2d-output.pb")),
              "output");
      assertThat(got.shape()).isEqualTo(want.shape());
      float[] g = got.floats();
      float[] w = want.floats();
      for (int i = 0; i < w.length; i++) {
        assertThat(g[i]).as("element %d", i).isCloseTo(w[i], within(1e-5f));
      }
      // The guide's "Stopping" block stops what the guide started (Keycloak takes a few seconds).
      List<ProcessHandle> left = group.awaitEmpty(Duration.ofSeconds(60));
      assertThat(left).as("left running: %s", ProcessGroup.describe(left)).isEmpty();
    } finally {
      if (group == null) {
        group = readGroupQuietly(groupFile);
      }
      if (group != null) {
        group.stop(Duration.ofSeconds(20));
      }
      bash.destroyForcibly();
    }
  }

  /** The distribution zip in the local Maven repository (the devstack build downloaded it). */
  private static Path keycloakZip(String zipName) {
    String repoDir =
        System.getProperty(
            "maven.repo.local",
            Path.of(System.getProperty("user.home"), ".m2/repository").toString());
    Path zip =
        Path.of(
            repoDir, "org/keycloak/keycloak-quarkus-dist", KeycloakDistribution.version(), zipName);
    assertThat(zip).as("the Keycloak zip the build downloaded").isRegularFile();
    return zip;
  }

  /**
   * The first of {@code count} consecutive loopback ports that are free now, chosen at random in
   * 20000-32000 (outside the ephemeral range).
   */
  private static int freePorts(int count) throws IOException {
    java.util.Random random = new java.security.SecureRandom();
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 20000 + random.nextInt(12000 - count);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IOException(count + " consecutive free loopback ports not found in 20000-32000");
  }

  private static boolean allFree(int base, int count) {
    for (int p = base; p < base + count; p++) {
      try {
        new ServerSocket(p, 1, InetAddress.getLoopbackAddress()).close();
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  private static ProcessGroup readGroup(Path groupFile) throws IOException {
    return new ProcessGroup(Long.parseLong(Files.readString(groupFile).strip()));
  }

  private static ProcessGroup readGroupQuietly(Path groupFile) {
    try {
      return readGroup(groupFile);
    } catch (IOException | NumberFormatException e) {
      return null; // the script never started
    }
  }

  /** The last lines of each process log the guide writes, for a failure's message. */
  private static String logsOf(Path deploy) throws IOException {
    StringBuilder s = new StringBuilder();
    for (String name : List.of("keycloak", "service", "runtime", "swtpm", "swtpm_setup")) {
      Path log = deploy.resolve("run/" + name + ".log");
      if (Files.isRegularFile(log)) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        s.append(String.format("%n--- %s.log (last 30 lines)%n", name));
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(l -> s.append(l).append('\n'));
      }
    }
    return s.toString();
  }
}
