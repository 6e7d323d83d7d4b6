// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaLauncherTest {

  @TempDir Path dir;

  @Test
  void usesThisJvmsJavaExecutable() throws Exception {
    Path java = JavaLauncher.javaExecutable();
    assertThat(java).isExecutable();
    assertThat(java.toAbsolutePath().normalize().toString())
        .startsWith(Path.of(System.getProperty("java.home")).toRealPath().toString());
  }

  @Test
  void jarCommandPutsOptionsAndSortedPropertiesBeforeTheJar() throws Exception {
    Path jar = Files.writeString(dir.resolve("app.jar"), "not really a jar");
    ProcessBuilder pb =
        JavaLauncher.jar(
            jar,
            List.of("-Xmx256m"),
            Map.of("quarkus.http.port", "8123", "arca.db.url", "jdbc:x"),
            List.of("--flag"),
            null);
    assertThat(pb.command())
        .containsExactly(
            JavaLauncher.javaExecutable().toString(),
            "-Xmx256m",
            "-Darca.db.url=jdbc:x",
            "-Dquarkus.http.port=8123",
            "-jar",
            jar.toString(),
            "--flag");
  }

  @Test
  void aMissingJarNamesTheBuildCommand() {
    assertThatThrownBy(
            () ->
                JavaLauncher.jar(
                    dir.resolve("quarkus-run.jar"),
                    List.of(),
                    Map.of(),
                    List.of(),
                    "./mvnw -B -q -pl attestation-service -am package -DskipTests"))
        .isInstanceOfSatisfying(
            DevStackException.class, e -> assertThat(e.id()).isEqualTo(DevStackException.MISSING))
        .hasMessageContaining("quarkus-run.jar not found")
        .hasMessageContaining("./mvnw -B -q -pl attestation-service -am package -DskipTests");
  }

  @Test
  void aMainRunsInAChildJvmWithTheGivenClasspath() throws Exception {
    try (ProcessSupervisor stack = ProcessSupervisor.create(dir.resolve("run"))) {
      ManagedProcess child =
          stack.start(
              "failing-main",
              JavaLauncher.main(
                  TestChild.class.getName(),
                  JavaLauncher.currentClasspath(),
                  List.of("-Xmx32m"),
                  Map.of(),
                  List.of("fail")));
      assertThat(child.awaitExit(java.time.Duration.ofSeconds(60), ReadinessListener.NONE))
          .isEqualTo(3);
      assertThat(child.lastLogLines(1))
          .containsExactly("boom: bad configuration in test.properties");
    }
  }
}
