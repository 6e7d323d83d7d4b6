// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The deployment of {@code deploy/images} as containers on one Docker network: PostgreSQL, Keycloak
 * (the test realm), three attestation-service replicas ({@code arca-1..3}) and HAProxy in front of
 * them. Every part is the image {@code deploy/images/build.sh} built; nothing is pulled. Started
 * once per suite and always removed (the Ryuk reaper cannot be pulled here).
 */
final class ContainerStack implements AutoCloseable {
  static final int REPLICAS = 3;
  static final String REALM_URL = "http://keycloak:8080/realms/arca";

  private final Network network;
  final GenericContainer<?> postgres;
  final GenericContainer<?> keycloak;
  final List<GenericContainer<?>> replicas;
  final GenericContainer<?> balancer;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private ContainerStack(
      Network network,
      GenericContainer<?> postgres,
      GenericContainer<?> keycloak,
      List<GenericContainer<?>> replicas,
      GenericContainer<?> balancer) {
    this.network = network;
    this.postgres = postgres;
    this.keycloak = keycloak;
    this.replicas = replicas;
    this.balancer = balancer;
  }

  /**
   * Skips the calling suite, naming what is missing, when no Docker engine answers or the images
   * were not built; with {@code ARCA_REQUIRE_DOCKER=true} (CI) it fails instead.
   */
  static void assumeImages() {
    String missing = null;
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      missing = "a Docker engine (docker.io; dockerd running)";
    } else {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(image("service")).exec();
      } catch (RuntimeException e) {
        missing = "the image " + image("service") + " (deploy/images/build.sh)";
      }
    }
    if (missing != null && "true".equals(System.getenv("ARCA_REQUIRE_DOCKER"))) {
      throw new IllegalStateException("ARCA_REQUIRE_DOCKER=true but missing " + missing);
    }
    assumeTrue(missing == null, "the container suite needs " + missing);
  }

  static String image(String name) {
    return "arca/" + name + ":" + System.getProperty("arca.image.version", "0.1.0-SNAPSHOT");
  }

  /**
   * Starts every part. The replicas start at the same moment on one shared keys folder and one
   * master key, so they agree on the KEK (the first creates it, the others open it), and share one
   * package store, so any replica serves a package another took.
   */
  static ContainerStack start(Path workDir) throws IOException {
    Network network = Network.newNetwork();
    List<GenericContainer<?>> started = new ArrayList<>();
    try {
      String dbPassword = random();
      GenericContainer<?> postgres =
          track(
              started,
              new GenericContainer<>(DockerImageName.parse(image("postgres")))
                  .withNetwork(network)
                  .withNetworkAliases("postgres")
                  .withEnv("ARCA_DB_USER", "arca")
                  .withEnv("ARCA_DB_PASSWORD", dbPassword)
                  .withExposedPorts(5432)
                  .waitingFor(
                      Wait.forLogMessage(".*database system is ready to accept connections.*", 1)
                          .withStartupTimeout(Duration.ofMinutes(2))));
      GenericContainer<?> keycloak =
          track(
              started,
              new GenericContainer<>(DockerImageName.parse(image("keycloak")))
                  .withNetwork(network)
                  .withNetworkAliases("keycloak")
                  .withEnv("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m")
                  .withCopyFileToContainer(
                      MountableFile.forHostPath(
                          Path.of(System.getProperty("arca.keycloak.realm")), 0644),
                      "/opt/keycloak/data/import/arca-realm.json")
                  // Tokens name the issuer the replicas know, whichever address asked for them.
                  .withCommand(
                      "start-dev", "--import-realm", "--hostname=" + "http://keycloak:8080")
                  .withExposedPorts(8080)
                  .waitingFor(
                      Wait.forHttp("/realms/arca/.well-known/openid-configuration")
                          .forPort(8080)
                          .withStartupTimeout(Duration.ofMinutes(4))));
      Startables.deepStart(postgres, keycloak).join();

      // What the replicas share besides PostgreSQL: the local KEK's keys folder and the store of
      // sealed model packages. They run as an unprivileged user of the image: theirs to write.
      Path keys = shared(workDir.resolve("service-keys"));
      Path packages = shared(workDir.resolve("service-packages"));
      String masterKey = Base64.getEncoder().encodeToString(bytes(32));
      List<GenericContainer<?>> replicas = new ArrayList<>();
      for (int i = 1; i <= REPLICAS; i++) {
        replicas.add(
            track(
                started,
                new GenericContainer<>(DockerImageName.parse(image("service")))
                    .withNetwork(network)
                    .withNetworkAliases("arca-" + i)
                    .withEnv("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/arca")
                    .withEnv("QUARKUS_DATASOURCE_USERNAME", "arca")
                    .withEnv("QUARKUS_DATASOURCE_PASSWORD", dbPassword)
                    .withEnv("QUARKUS_OIDC_AUTH_SERVER_URL", REALM_URL)
                    .withEnv("ARCA_MASTER_KEY", masterKey)
                    // The suite's devices attest with the software (dev) format.
                    .withEnv("ARCA_FORMATS_DEV_ENABLED", "true")
                    // Every request reaches a replica from one address (the test host or the
                    // balancer), so the per-address limits would measure the suite, not the
                    // service: raised here, kept in deployments.
                    .withEnv("ARCA_RATE_LIMIT_CHALLENGES_PER_ADDRESS", "1000000")
                    .withEnv("ARCA_RATE_LIMIT_ATTESTATIONS_PER_ADDRESS", "1000000")
                    .withEnv("ARCA_RATE_LIMIT_ATTESTATIONS_PER_DEVICE", "1000000")
                    .withEnv("JAVA_TOOL_OPTIONS", "-Xmx384m")
                    // The last replica logs JSON lines, as for a log shipper.
                    .withEnv("QUARKUS_LOG_CONSOLE_JSON_ENABLED", String.valueOf(i == REPLICAS))
                    .withCreateContainerCmdModifier(
                        cmd ->
                            cmd.getHostConfig()
                                .withBinds(
                                    Bind.parse(keys + ":/var/lib/arca/keys"),
                                    Bind.parse(packages + ":/var/lib/arca/packages")))
                    .withExposedPorts(8080)
                    .waitingFor(
                        Wait.forHttp("/q/health/ready")
                            .forPort(8080)
                            .withStartupTimeout(Duration.ofMinutes(3)))));
      }
      Startables.deepStart(replicas).join();
      GenericContainer<?> balancer =
          track(
              started,
              new GenericContainer<>(DockerImageName.parse(image("haproxy")))
                  .withNetwork(network)
                  .withNetworkAliases("arca")
                  .withExposedPorts(8080)
                  .waitingFor(
                      Wait.forHttp("/q/health/ready")
                          .forPort(8080)
                          .withStartupTimeout(Duration.ofMinutes(1))));
      balancer.start();
      return new ContainerStack(network, postgres, keycloak, replicas, balancer);
    } catch (RuntimeException e) {
      started.forEach(GenericContainer::stop);
      network.close();
      throw e;
    }
  }

  private static Path shared(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static GenericContainer<?> track(
      List<GenericContainer<?>> started, GenericContainer<?> c) {
    started.add(c);
    return c;
  }

  /**
   * A device runtime container ({@code arca/runtime}) on the stack's network with {@code state}
   * mounted as its state folder, running {@code args}; started by the caller, it must exit 0.
   */
  GenericContainer<?> runtime(Path state, String... args) {
    return new GenericContainer<>(DockerImageName.parse(image("runtime")))
        .withNetwork(network)
        .withCommand(args)
        .withEnv("JAVA_TOOL_OPTIONS", "-Xmx256m")
        .withCreateContainerCmdModifier(
            cmd -> cmd.getHostConfig().withBinds(Bind.parse(state + ":/var/lib/arca/state")))
        .withStartupCheckStrategy(
            new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)));
  }

  /**
   * The distribution tarball's {@code arca} running {@code args} in a JRE-only container ({@link
   * Distribution#inJreOnlyContainer}) on the stack's network, {@code state} mounted as in {@link
   * #runtime}. Started by the caller, it must exit 0.
   */
  GenericContainer<?> distributionRuntime(Path state, String... args)
      throws IOException, dev.arca.devstack.DevStackException {
    return Distribution.inJreOnlyContainer(args)
        .withNetwork(network)
        .withEnv("ARCA_JAVA_OPTS", "-Xmx256m")
        .withCreateContainerCmdModifier(
            cmd -> cmd.getHostConfig().withBinds(Bind.parse(state + ":/var/lib/arca/state")))
        .withStartupCheckStrategy(
            new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)));
  }

  /** The replicas' error lines and what follows each (stack traces), for a failure message. */
  String replicaErrors() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < replicas.size(); i++) {
      List<String> lines = replicas.get(i).getLogs().lines().toList();
      for (int l = 0; l < lines.size(); l++) {
        if (lines.get(l).contains("ERROR")) {
          out.append("arca-").append(i + 1).append(": ");
          lines.subList(l, Math.min(lines.size(), l + 12)).forEach(x -> out.append(x).append('\n'));
        }
      }
    }
    return out.toString();
  }

  /**
   * A token from the realm for the client {@code arca-automation} by {@code grant} (the form's
   * grant fields), stored for the CLI under {@code profile}; returns the bearer.
   */
  String logIn(String profile, Map<String, String> grant) throws Exception {
    Map<String, String> form = new LinkedHashMap<>(grant);
    form.put("client_id", "arca-automation");
    form.put("client_secret", "arca-automation-secret");
    form.put("scope", "openid");
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("no token for " + profile + ": " + r.statusCode() + " " + r.body());
    }
    JsonNode t = JSON.readTree(r.body());
    String bearer = t.path("access_token").asText();
    TokenStore.standard()
        .save(
            profile,
            new StoredToken(
                REALM_URL,
                bearer,
                Instant.now().plusSeconds(t.path("expires_in").asLong()),
                profile,
                List.of()));
    return bearer;
  }

  /** {@code args} followed by the CLI's {@code --service url --as profile}. */
  static String[] cliArgs(String url, String profile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--service", url, "--as", profile));
    return all.toArray(String[]::new);
  }

  /** The balancer's address, as a device or person reaches the service. */
  String balancerUrl() {
    return "http://localhost:" + balancer.getMappedPort(8080);
  }

  /**
   * Replica {@code i}'s own address (1-based), read from Docker each time: a restarted container
   * gets a new host port.
   */
  String replicaUrl(int i) {
    DockerClient docker = DockerClientFactory.instance().client();
    Ports.Binding[] b =
        docker
            .inspectContainerCmd(replicas.get(i - 1).getContainerId())
            .exec()
            .getNetworkSettings()
            .getPorts()
            .getBindings()
            .get(ExposedPort.tcp(8080));
    return "http://localhost:" + b[0].getHostPortSpec();
  }

  /** The token endpoint of the realm, through Keycloak's host port. */
  URI tokenEndpoint() {
    return URI.create(
        "http://localhost:"
            + keycloak.getMappedPort(8080)
            + "/realms/arca/protocol/openid-connect/token");
  }

  /** Stops replica {@code i} as a crash does ({@code docker kill}, SIGKILL). */
  void kill(int i) {
    DockerClientFactory.instance()
        .client()
        .killContainerCmd(replicas.get(i - 1).getContainerId())
        .exec();
  }

  /** Starts a killed replica again and waits until it is ready. */
  void restart(int i) throws InterruptedException {
    DockerClientFactory.instance()
        .client()
        .startContainerCmd(replicas.get(i - 1).getContainerId())
        .exec();
    awaitReady(replicaUrl(i), Duration.ofMinutes(2));
  }

  /** Restarts PostgreSQL ({@code docker restart}: a clean stop, then a start on the same data). */
  void restartPostgres() {
    DockerClientFactory.instance()
        .client()
        .restartContainerCmd(postgres.getContainerId())
        .withTimeout(10)
        .exec();
  }

  /** Waits until {@code base}'s readiness answers 200. */
  void awaitReady(String base, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(base + " not ready within " + timeout);
  }

  /** Which replica answered a challenge through the balancer (its {@code X-Arca-Replica}). */
  String replicaAnsweringAChallenge() throws IOException, InterruptedException {
    HttpResponse<Void> r =
        http.send(
            HttpRequest.newBuilder(URI.create(balancerUrl() + "/v1/challenges"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 200) {
      throw new IOException("challenge through the balancer answered " + r.statusCode());
    }
    return r.headers().firstValue("X-Arca-Replica").orElse("(none)");
  }

  private static String random() {
    return HexFormat.of().formatHex(bytes(24));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    balancer.stop();
    replicas.forEach(GenericContainer::stop);
    keycloak.stop();
    postgres.stop();
    network.close();
  }
}
