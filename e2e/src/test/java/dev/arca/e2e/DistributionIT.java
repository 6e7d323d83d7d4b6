// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The distribution tarball on a machine that has only a Java runtime: the Debian image the other
 * images start from ({@code openjdk-17-jre-headless}, no JDK, no Maven, no Arca checkout). As an
 * unprivileged user, the tarball is unpacked into an empty folder and its {@code arca service} runs
 * the service on an embedded PostgreSQL until it is ready; stopping {@code arca} stops the service.
 * (The whole deployment from the tarball, a runtime attesting included, is {@code
 * DeployGuideTest}.) About a minute.
 */
class DistributionIT {

  @BeforeAll
  static void images() {
    ContainerStack.assumeImages();
  }

  @Test
  void theTarballRunsTheServiceWithOnlyAJre() throws Exception {
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    try (GenericContainer<?> host =
        Distribution.inJreOnlyContainer("service")
            .withEnv("HOME", "/tmp/home")
            .withEnv("QUARKUS_HTTP_HOST", "0.0.0.0")
            .withEnv("ARCA_DATA_DIR", "/tmp/arca-data")
            .withEnv("ARCA_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey))
            .withEnv("ARCA_SERVICE_JAVA_OPTS", "-Xmx384m")
            .withExposedPorts(8080)
            .waitingFor(
                Wait.forHttp("/q/health/ready")
                    .forPort(8080)
                    .withStartupTimeout(Duration.ofMinutes(3)))) {
      host.start();

      var tools = host.execInContainer("sh", "-c", "command -v java javac mvn; true");
      assertThat(tools.getStdout().strip()).as("only a Java runtime").isEqualTo("/usr/bin/java");
      var version = host.execInContainer("sh", "-c", "/tmp/empty/arca-*/bin/arca --version");
      assertThat(version.getStdout()).containsPattern("arca \\S+ \\(commit [0-9a-f]{7}");
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://localhost:" + host.getMappedPort(8080) + "/q/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).contains("\"status\": \"UP\"");

      // docker stop: SIGTERM to arca (the container's first process), which stops the service.
      var docker = host.getDockerClient();
      docker.stopContainerCmd(host.getContainerId()).withTimeout(60).exec();
      var state = docker.inspectContainerCmd(host.getContainerId()).exec().getState();
      assertThat(state.getExitCodeLong()).as(host.getLogs()).isEqualTo(143L);
      assertThat(host.getLogs()).contains("arca-attestation-service stopped in");
    }
  }
}
