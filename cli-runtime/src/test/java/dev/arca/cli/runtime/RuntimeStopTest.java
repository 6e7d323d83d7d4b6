// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.crypto.seal.TensorSpec;
import dev.arca.runtime.testing.OnnxGraphs;
import dev.arca.runtime.testing.ScriptedService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca runtime} as a child JVM, stopped by SIGTERM (what systemd and {@code docker stop}
 * send) while it unseals a 192 MiB model. Before {@link StopSignals}, the JVM ran its shutdown
 * hooks at once, ONNX Runtime's among them, which frees its environment under a session that is
 * being made: the child exited 143 without closing its models (or crashed in native code, writing
 * an {@code hs_err} file). Now it closes the agent first and exits 0.
 */
class RuntimeStopTest {
  @TempDir Path dir;

  @Test
  void sigtermWhileAModelUnsealsClosesTheAgentAndExitsCleanly() throws Exception {
    try (ScriptedService service = new ScriptedService(Duration.ofHours(1))) {
      byte[] weights = new byte[192 << 20];
      new Random(7).nextBytes(weights);
      service.publish(
          "big",
          1,
          OnnxGraphs.gather(weights),
          List.of(TensorSpec.of("i", "int64", 1)),
          List.of(TensorSpec.of("y", "float32", 1)),
          "synthetic");
      weights = null;
      Path publishers =
          Files.writeString(dir.resolve("publishers.json"), service.publishers().toJson());
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      Process runtime =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-XX:MaxDirectMemorySize=1g",
                  "-XX:+DisableAttachMechanism",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.arca.cli.Arca",
                  "runtime",
                  "--service",
                  service.uri().toString(),
                  "--publishers",
                  publishers.toString(),
                  "--model",
                  "big:synthetic",
                  "--state",
                  dir.resolve("state").toString(),
                  "--listen",
                  "127.0.0.1:0")
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (service.downloads() == 0 && System.nanoTime() < deadline && runtime.isAlive()) {
          Thread.sleep(20);
        }
        assertThat(service.downloads()).as("the runtime downloaded the package").isPositive();
        Thread.sleep(300); // into the decryption and the ONNX Runtime session
        runtime.destroy(); // SIGTERM

        assertThat(runtime.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        assertThat(runtime.exitValue())
            .as("exit code; stdout:%n%s%nstderr:%n%s", stdout, stderr)
            .isZero();
        assertThat(stdout).contains("runtime: stopping (signal): closing the models");
        assertThat(stderr).doesNotContain("A fatal error has been detected");
        try (Stream<Path> files = Files.list(dir)) {
          assertThat(files.map(p -> p.getFileName().toString()))
              .as("no JVM crash report")
              .noneMatch(name -> name.startsWith("hs_err"));
        }
      } finally {
        runtime.destroyForcibly();
      }
    }
  }
}
