// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.devstack.ProcessLiveness;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code arca demo} non-interactively on exactly the code path a user runs — real Keycloak,
 * the real service with embedded PostgreSQL, a runtime process — and checks each outcome it
 * reports, then that nothing it started is still running.
 */
class DemoEndToEndTest {
  @TempDir Path dir;
  private final Cli cli = new Cli();

  @Test
  void theDemoGrantsRefusesPhiToTheDevRuntimeAndVerifiesTheLog() throws Exception {
    // Without swtpm and tpm2-tools the demo takes its synthetic path; where they are required
    // (CI) their absence fails here instead.
    boolean withTpm = dev.arca.devstack.Swtpm.missingToolsForTests().isEmpty();
    Path report = dir.resolve("report.json");
    int code =
        cli.run("demo", "--run-dir", dir.resolve("run").toString(), "--report", report.toString());

    assertThat(code).as(cli.out() + cli.err()).isEqualTo(ExitCode.OK);
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    assertThat(r.path("stepsFailed").asInt()).isZero();
    assertThat(r.path("policy").asText()).isEqualTo("hipaa-phi-demo@1");
    assertThat(r.path("grant").asBoolean()).isTrue();
    assertThat(r.path("maxError").asDouble()).isLessThanOrEqualTo(1e-5);
    // With swtpm and tpm2-tools the application's PHI request goes to the TPM-attested runtime
    // and is answered; without them the demo says so and sends synthetic.
    assertThat(r.path("inferenceDataClass").asText()).isEqualTo(withTpm ? "phi" : "synthetic");
    assertThat(r.path("phiRefused").asText()).isEqualTo("ear.not-granted");
    assertThat(r.path("phiPolicyReason").asText())
        .contains("hipaa-phi-demo@1 denied phi: software-attester-for-sensitive-data");
    assertThat(r.path("updateFailedRequests").asInt()).isZero();
    assertThat(r.path("updateRequests").asInt()).isPositive();
    assertThat(r.path("revocationRefusal").asText()).isEqualTo("lease.refused");
    assertThat(r.path("logVerified").asBoolean()).isTrue();
    // The update made the runtime attest again, after which it reported what it had served.
    assertThat(r.path("usageReports").asInt()).isPositive();
    assertThat(r.path("usageServed").asLong()).isPositive();
    List<String> kinds = new java.util.ArrayList<>();
    r.path("logEntries").fieldNames().forEachRemaining(kinds::add);
    assertThat(kinds)
        .contains(
            "policy.activated",
            "publisher-key.added",
            "model.published",
            "device.enrolled",
            "attestation.appraised",
            "usage.reported");
    if (withTpm) {
      assertThat(kinds).contains("device.activated");
    }
    assertThat(cli.out())
        .contains("All 10 steps ok")
        .contains("Everything stopped")
        .contains("Web console, for auditors and security teams: http://127.0.0.1:")
        .contains("auditor / auditor-pw");
    assertNothingLeftRunning();
  }

  @Test
  void aUsersOwnModelRunsThroughTheSealedPathAndWritesItsOutput() throws Exception {
    Path output = dir.resolve("out.pb");
    int code = demoWith(copy("model.onnx"), output, "--data-class", "synthetic");

    assertThat(code).as(cli.out() + cli.err()).isEqualTo(ExitCode.OK);
    Tensor got = TensorProtoCodec.decode(Files.readAllBytes(output), "output");
    Tensor want = TensorProtoCodec.decode(Files.readAllBytes(copy("output_0.pb")), "output");
    assertThat(got.shape()).isEqualTo(want.shape());
    float[] g = got.floats();
    float[] w = want.floats();
    for (int i = 0; i < w.length; i++) {
      assertThat(g[i]).as("element %d", i).isCloseTo(w[i], within(1e-5f));
    }
    assertNothingLeftRunning();
  }

  @Test
  void aModelOnnxRuntimeRefusesStopsTheDemoBeforeAnyPartStarts() throws Exception {
    Path model = Files.writeString(dir.resolve("not-a-model.onnx"), "not a model");

    int code = demoWith(model, dir.resolve("out.pb"));

    assertThat(code).as(cli.out() + cli.err()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("cannot load the model").contains("(--model)");
    assertThat(dir.resolve("run/keycloak.log")).as("Keycloak never started").doesNotExist();
  }

  @Test
  void sigtermStopsEveryPartAndPrintsTheSummary() throws Exception {
    Path log = dir.resolve("demo.log");
    ProcessBuilder pb =
        dev.arca.devstack.JavaLauncher.main(
            Arca.class.getName(),
            dev.arca.devstack.JavaLauncher.currentClasspath(),
            List.of("-Xmx256m"),
            java.util.Map.of(),
            List.of("demo", "--run-dir", dir.resolve("run").toString()));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process demo = pb.start();
    List<ProcessHandle> started = List.of();
    try {
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
      while (!Files.readString(log).contains("Step 3 of 10") && System.nanoTime() < deadline) {
        assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(500);
      }
      assertThat(Files.readString(log)).contains("Step 3 of 10");
      started = demo.descendants().toList();
      assertThat(started).as("Keycloak and the service run as children").isNotEmpty();

      demo.destroy(); // SIGTERM, as Ctrl-C's sibling; a terminal's Ctrl-C takes the same hook

      assertThat(demo.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      // CI once saw Keycloak outlive the demo; the demo's own words and exit code say how it ended.
      assertThat(ProcessLiveness.awaitStopped(started, java.time.Duration.ofSeconds(30)))
          .as(
              "still running:%n%s%ndemo exit code %d, its output:%n%s",
              ProcessLiveness.describeRunning(started), demo.exitValue(), Files.readString(log))
          .isTrue();
      assertThat(Files.readString(log)).contains("interrupted: stopping").contains("Summary");
    } finally {
      started.forEach(ProcessHandle::destroyForcibly); // re-parented once the demo is gone
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  @Test
  void keepLeavesTheStackToExploreWithWhatItPrintsUntilCtrlC() throws Exception {
    Path log = dir.resolve("demo.log");
    ProcessBuilder pb =
        dev.arca.devstack.JavaLauncher.main(
            Arca.class.getName(),
            dev.arca.devstack.JavaLauncher.currentClasspath(),
            List.of("-Xmx256m"),
            java.util.Map.of(),
            List.of("demo", "--keep", "--run-dir", dir.resolve("run").toString()));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process demo = pb.start();
    String previousConfig = System.getProperty("arca.config.dir");
    try {
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(8).toNanos();
      while (!Files.readString(log).contains("  curl ") && System.nanoTime() < deadline) {
        assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(500);
      }
      String shown = Files.readString(log);
      assertThat(shown).contains("All 10 steps ok").contains("Ctrl-C stops everything");
      List<String> block = shown.substring(shown.indexOf("(--keep)")).lines().toList();

      // Every address printed answers.
      java.net.URI service = java.net.URI.create(value(block, "attestation service"));
      assertThat(get(service.resolve("/q/health"))).isEqualTo(200);
      assertThat(get(java.net.URI.create(value(block, "health")))).isEqualTo(200);
      assertThat(get(java.net.URI.create(value(block, "OpenAPI")))).isEqualTo(200);
      assertThat(get(java.net.URI.create(value(block, "account console")))).isEqualTo(200);
      // The web console sends the browser to Keycloak's sign-in page, which takes its return URL.
      assertThat(get(java.net.URI.create(value(block, "web console")))).isEqualTo(200);
      String curl = block.stream().filter(l -> l.startsWith("  curl ")).findFirst().orElseThrow();
      assertThat(get(java.net.URI.create(curl.substring("  curl ".length())))).isEqualTo(200);

      // Every printed command works as printed, with the printed configuration folder; the last
      // one (arca login, for when the cached tokens expire) needs a person at a browser.
      String export =
          block.stream().filter(l -> l.startsWith("  export ARCA_CONFIG_DIR=")).findFirst().get();
      System.setProperty("arca.config.dir", export.substring(export.indexOf('=') + 1));
      List<String> commands =
          block.subList(block.indexOf("Try, in another terminal:") + 2, block.size()).stream()
              .filter(l -> !l.startsWith("  curl "))
              .toList();
      assertThat(commands).hasSize(7);
      assertThat(commands.get(6)).contains(" login --issuer ");
      for (String c : commands.subList(0, 6)) {
        String[] args = c.trim().split(" ", -1);
        int code = cli.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        assertThat(code).as(c + "\n" + cli.out() + cli.err()).isEqualTo(ExitCode.OK);
      }
      assertThat(demo.isAlive()).isTrue();
      List<ProcessHandle> started = demo.descendants().toList();

      // Ctrl-C is SIGINT, unless this JVM inherited SIGINT ignored (a build started in the
      // background of a script), as the demo then does; SIGTERM takes the same shutdown hook.
      boolean sigint = !sigintIgnored();
      new ProcessBuilder("kill", sigint ? "-INT" : "-TERM", Long.toString(demo.pid()))
          .start()
          .waitFor();

      assertThat(demo.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      assertThat(demo.exitValue()).as("killed by the signal").isEqualTo(sigint ? 130 : 143);
      assertThat(ProcessLiveness.awaitStopped(started, java.time.Duration.ofSeconds(30)))
          .as("still running:%n%s", ProcessLiveness.describeRunning(started))
          .isTrue();
      assertThat(Files.readString(log))
          .contains("stopping the runtimes, the service and Keycloak")
          .doesNotContain("interrupted");
    } finally {
      if (previousConfig == null) {
        System.clearProperty("arca.config.dir");
      } else {
        System.setProperty("arca.config.dir", previousConfig);
      }
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  /** The URL after {@code label} on its line of the --keep block. */
  private static String value(List<String> block, String label) {
    String line =
        block.stream().filter(l -> l.trim().startsWith(label + " ")).findFirst().orElseThrow();
    return line.trim().substring(label.length()).trim().split(" ", -1)[0];
  }

  /** Whether this process ignores SIGINT (Linux: bit 2 of SigIgn in /proc/self/status). */
  private static boolean sigintIgnored() throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    return Files.readAllLines(status).stream()
        .filter(l -> l.startsWith("SigIgn:"))
        .map(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16))
        .anyMatch(mask -> (mask & (1L << 1)) != 0);
  }

  private static int get(java.net.URI url) throws Exception {
    return java.net.http.HttpClient.newBuilder()
        .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
        .build()
        .send(
            java.net.http.HttpRequest.newBuilder(url).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void assertNothingLeftRunning() {
    assertThat(ProcessHandle.current().descendants().filter(ProcessLiveness::running))
        .as("processes the demo started")
        .isEmpty();
  }

  /** {@code arca demo} with {@code model}, the test input and {@code output}, run dir "run". */
  private int demoWith(Path model, Path output, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "demo",
                "--model",
                model.toString(),
                "--input",
                copy("input_0.pb").toString(),
                "--output",
                output.toString(),
                "--run-dir",
                dir.resolve("run").toString()));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  private Path copy(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in =
        DemoEndToEndTest.class.getResourceAsStream("/vectors/onnx/test_Conv2d/" + name)) {
      Files.write(p, in.readAllBytes());
    }
    return p;
  }
}
