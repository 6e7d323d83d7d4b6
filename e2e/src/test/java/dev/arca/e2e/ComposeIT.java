// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.devstack.Executables;
import dev.arca.devstack.ProcessSupervisor;
import dev.arca.devstack.RepositoryLayout;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose/compose.yaml} as an operator runs it, with Docker Compose itself: secrets
 * from {@code deploy/compose/env.sh}, {@code up}, the balancer ready once Compose's health checks
 * pass, a token of the realm's automation client accepted by every replica behind the balancer, and
 * {@code down -v} leaving nothing. ({@code ReplicasIT} attacks the same topology; this checks the
 * file.) Needs {@code docker-compose} (Debian package): skips naming it, or fails under {@code
 * ARCA_REQUIRE_DOCKER=true} (CI). About three minutes, most of it Keycloak's start.
 */
class ComposeIT {
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(8);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theComposeFileRunsThreeReplicasThatAcceptTheRealmsTokens() throws Exception {
    ContainerStack.assumeImages();
    List<String> missing = Executables.missing(List.of("docker-compose"));
    if (!missing.isEmpty() && "true".equals(System.getenv("ARCA_REQUIRE_DOCKER"))) {
      throw new IllegalStateException("ARCA_REQUIRE_DOCKER=true but missing " + missing);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        missing.isEmpty(), "the Compose test needs docker-compose (package docker-compose)");

    Path root = RepositoryLayout.find(Path.of("")).root();
    Path env = dir.resolve("arca.env");
    run(List.of("sh", root.resolve("deploy/compose/env.sh").toString()), Map.of(), env);
    int[] ports = ProcessSupervisor.freeLoopbackPorts(2);
    int port = ports[0];
    int keycloakPort = ports[1];
    String keycloak = "http://localhost:" + keycloakPort;
    Map<String, String> settings =
        Map.of(
            "ARCA_VERSION", System.getProperty("arca.image.version", "0.1.0-SNAPSHOT"),
            "ARCA_PORT", Integer.toString(port),
            "ARCA_KEYCLOAK_PORT", Integer.toString(keycloakPort),
            "ARCA_KEYCLOAK_URL", keycloak);
    List<String> compose =
        List.of(
            "docker-compose",
            "--env-file",
            env.toString(),
            "-p",
            "arca-compose-it",
            "-f",
            root.resolve("deploy/compose/compose.yaml").toString());
    try {
      run(with(compose, "up", "-d"), settings, null);
      URI balancer = URI.create("http://localhost:" + port);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      if (!ready(http, balancer.resolve("/q/health/ready"))) {
        throw new AssertionError(
            "the balancer was not ready; the end of each part's log:\n"
                + run(with(compose, "logs", "--no-color", "--tail=15"), settings, null));
      }

      String secret =
          Files.readAllLines(env).stream()
              .filter(l -> l.startsWith("ARCA_AUTOMATION_SECRET="))
              .findFirst()
              .orElseThrow()
              .substring("ARCA_AUTOMATION_SECRET=".length());
      String token = clientCredentialsToken(http, keycloak, secret);

      // Each replica joins the balancer once its own health check passed: ask until all three
      // answered (each answer must be a success).
      TreeSet<String> replicas = new TreeSet<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (replicas.size() < 3 && System.nanoTime() < deadline) {
        HttpResponse<String> devices =
            http.send(
                HttpRequest.newBuilder(balancer.resolve("/v1/devices"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
        devices.headers().firstValue("X-Arca-Replica").ifPresent(replicas::add);
        Thread.sleep(200);
      }
      assertThat(replicas).as("replicas that accepted the token").hasSize(3);
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(balancer.resolve("/v1/devices")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
    } finally {
      run(with(compose, "down", "-v", "--timeout", "30"), settings, null);
      String left =
          run(
              List.of(
                  "docker",
                  "ps",
                  "-a",
                  "-q",
                  "--filter",
                  "label=com.docker.compose.project=arca-compose-it"),
              Map.of(),
              null);
      assertThat(left.strip()).as("containers left by down").isEmpty();
    }
  }

  private static String clientCredentialsToken(HttpClient http, String keycloak, String secret)
      throws Exception {
    String form =
        "grant_type=client_credentials&client_id=arca-automation&client_secret="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(keycloak + "/realms/arca/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("access_token").asText();
  }

  /** Whether {@code ready} answers 200 within four minutes. */
  private static boolean ready(HttpClient http, URI ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return true;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(1000);
    }
    return false;
  }

  private static List<String> with(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }

  /** Runs {@code command}; its stdout (into {@code out} when given) and stderr; must exit 0. */
  private static String run(List<String> command, Map<String, String> env, Path out)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("arca-compose", ".log");
    if (out != null) {
      pb.redirectOutput(out.toFile()).redirectError(log.toFile());
    } else {
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
    }
    Process p = pb.start();
    boolean ended = p.waitFor(UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    String output = Files.readString(log);
    Files.delete(log);
    assertThat(ended).as("%s ended; %s", command, output).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
