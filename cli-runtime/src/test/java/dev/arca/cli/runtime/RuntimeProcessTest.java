// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.runtime.boot.MeasurementLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca runtime} as a real child JVM, started with the JVM options an attacker with access to
 * the device's launch configuration would add. Hardening must refuse each one before any key is in
 * memory, with one clear line and a non-zero exit; with {@code --insecure} it must start but report
 * itself insecure in the measurement log that its evidence binds.
 */
class RuntimeProcessTest {
  private static final String JDWP =
      "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0";

  @TempDir Path dir;
  private Path publishers;

  @BeforeEach
  void keyRing() throws Exception {
    publishers = dir.resolve("publishers.json");
    Files.writeString(
        publishers,
        PublisherKeyRing.of(
                PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "p1").publicKey())
            .toJson());
  }

  /** A started child; its output goes to files so a full pipe never blocks it. */
  private record Child(Process process, Path out, Path err) {
    String stdout() throws IOException {
      return Files.readString(out);
    }

    String stderr() throws IOException {
      return Files.readString(err);
    }
  }

  private Child start(List<String> jvmOptions, String service, String... extra) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.arca.cli.Arca");
    cmd.addAll(
        List.of(
            "runtime",
            "--service",
            service,
            "--publishers",
            publishers.toString(),
            "--model",
            "conv2d:synthetic",
            "--state",
            dir.resolve("state").toString(),
            "--listen",
            "127.0.0.1:0"));
    cmd.addAll(List.of(extra));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .directory(dir.toFile())
            .start();
    return new Child(p, out, err);
  }

  /** Runs a child that must refuse; returns its stderr. */
  private String refused(List<String> jvmOptions) throws Exception {
    Child c = start(jvmOptions, "http://127.0.0.1:9");
    try {
      assertThat(c.process().waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
      assertThat(c.process().exitValue()).as("exit code; stderr: %s", c.stderr()).isEqualTo(1);
      String err = c.stderr();
      assertThat(err).contains("arca: refusing to start: ").contains("--insecure");
      assertThat(err).as("no stack trace").doesNotContain("\tat ");
      assertThat(c.stdout()).doesNotContain("runtime: device");
      assertThat(dir.resolve("state").resolve("dev-attester.key"))
          .as("no key was read or created before hardening")
          .doesNotExist();
      return err;
    } finally {
      c.process().destroyForcibly();
    }
  }

  @Test
  void aJdwpAgentIsRefused() throws Exception {
    assertThat(refused(List.of(JDWP, "-XX:+DisableAttachMechanism")))
        .contains("runtime.debug-agent")
        .doesNotContain("runtime.attach-enabled");
  }

  @Test
  void aJavaAgentIsRefused() throws Exception {
    Path agent = dir.resolve("noop-agent.jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().putValue("Premain-Class", NoopAgent.class.getName());
    // Only the manifest: the agent class itself comes from the class path.
    new JarOutputStream(Files.newOutputStream(agent), mf).close();
    assertThat(refused(List.of("-javaagent:" + agent, "-XX:+DisableAttachMechanism")))
        .contains("runtime.java-agent");
  }

  @Test
  void heapDumpsAndAnOpenAttachMechanismAreRefused() throws Exception {
    assertThat(refused(List.of("-XX:+HeapDumpOnOutOfMemoryError")))
        .contains("runtime.heap-dump")
        .contains("runtime.attach-enabled");
  }

  @Test
  void withInsecureItStartsAndItsEvidenceBindsTheInsecureFlags() throws Exception {
    try (AttestationRecorder service = new AttestationRecorder()) {
      Child c =
          start(
              List.of(JDWP, "-XX:+DisableAttachMechanism"), service.uri().toString(), "--insecure");
      try {
        JsonNode attestation = service.next(90);
        assertThat(attestation)
            .as("attestation from the child; stderr: %s", c.stderr())
            .isNotNull();
        MeasurementLog log = verifiedLog(attestation);
        assertThat(log.entries())
            .extracting(MeasurementLog.Entry::name)
            .contains("insecure:runtime.debug-agent")
            .doesNotContain("insecure:runtime.attach-enabled");
        awaitLine(c, "harden: INSECURE [runtime.debug-agent]");
      } finally {
        c.process().destroy();
        c.process().waitFor(30, TimeUnit.SECONDS);
        c.process().destroyForcibly();
      }
    }
  }

  @Test
  void aCleanProcessStartsNonDumpableAndReportsNothingInsecure() throws Exception {
    try (AttestationRecorder service = new AttestationRecorder()) {
      Child c = start(List.of("-XX:+DisableAttachMechanism"), service.uri().toString());
      try {
        JsonNode attestation = service.next(90);
        assertThat(attestation)
            .as("attestation from the child; stderr: %s", c.stderr())
            .isNotNull();
        assertThat(verifiedLog(attestation).entries())
            .extracting(MeasurementLog.Entry::name)
            .noneMatch(n -> n.startsWith("insecure:"));
        // The runtime reads PR_GET_DUMPABLE back after setting it and reports what the kernel says.
        awaitLine(c, "harden: no debugger or agent, process not dumpable");
      } finally {
        c.process().destroy();
        c.process().waitFor(30, TimeUnit.SECONDS);
        c.process().destroyForcibly();
      }
    }
  }

  /**
   * Verifies the dev evidence in an attestation request against the report data the runtime must
   * bind (nonce, runtime key, measurement log, usage key), and returns that log.
   */
  private static MeasurementLog verifiedLog(JsonNode req) throws Exception {
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] log = b64.decode(req.path("measurementLog").asText());
    byte[] reportData =
        ReportData.ofLog(
            Base64.getUrlDecoder().decode(req.path("nonce").asText()),
            b64.decode(req.path("runtimePublicKey").asText()),
            log,
            b64.decode(req.path("usageKey").asText()));
    new DevVerifier()
        .verify(
            b64.decode(req.path("evidence").asText()),
            VerificationContext.expectingReportData(Instant.now(), reportData).build());
    return MeasurementLog.parse(new String(log, StandardCharsets.UTF_8));
  }

  private static void awaitLine(Child c, String text) throws Exception {
    for (int i = 0; i < 300 && !c.stdout().contains(text); i++) {
      Thread.sleep(100);
    }
    assertThat(c.stdout()).as("stderr: %s", c.stderr()).contains(text);
  }
}
