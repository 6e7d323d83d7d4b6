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
    assertThat(r.path("logVerified").asBoolean()).isTrue();
    List<String> kinds = new java.util.ArrayList<>();
    r.path("logEntries").fieldNames().forEachRemaining(kinds::add);
    assertThat(kinds)
        .contains(
            "policy.activated",
            "publisher-key.added",
            "model.published",
            "device.enrolled",
            "attestation.appraised");
    if (withTpm) {
      assertThat(kinds).contains("device.activated");
    }
    assertThat(cli.out()).contains("All 8 steps ok").contains("Everything stopped");
    assertNothingLeftRunning();
  }

  @Test
  void aUsersOwnModelRunsThroughTheSealedPathAndWritesItsOutput() throws Exception {
    Path model = copy("model.onnx");
    Path input = copy("input_0.pb");
    Path output = dir.resolve("out.pb");
    int code =
        cli.run(
            "demo",
            "--model",
            model.toString(),
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--data-class",
            "synthetic",
            "--run-dir",
            dir.resolve("run").toString());

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
    try {
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
      while (!Files.readString(log).contains("Step 3 of 8") && System.nanoTime() < deadline) {
        assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(500);
      }
      assertThat(Files.readString(log)).contains("Step 3 of 8");
      List<ProcessHandle> started = demo.descendants().toList();
      assertThat(started).as("Keycloak and the service run as children").isNotEmpty();

      demo.destroy(); // SIGTERM, as Ctrl-C's sibling; a terminal's Ctrl-C takes the same hook

      assertThat(demo.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      for (ProcessHandle h : started) {
        h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(h.isAlive()).as("%s", h.info().commandLine().orElse("?")).isFalse();
      }
      assertThat(Files.readString(log)).contains("interrupted: stopping").contains("Summary");
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  private static void assertNothingLeftRunning() {
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes the demo started")
        .isEmpty();
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
