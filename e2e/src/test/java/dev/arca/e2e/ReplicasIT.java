// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.ExitCode;
import dev.arca.runtime.service.Grant;
import dev.arca.runtime.service.ServiceClient;
import dev.arca.runtime.service.ServiceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * Three service replicas on one PostgreSQL behind HAProxy, every part a container ({@link
 * ContainerStack}): what one replica does, every replica knows, and a replica or the database going
 * away loses nothing a device was told.
 */
class ReplicasIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WITHIN_SECONDS = Duration.ofSeconds(15);

  @TempDir static Path dir;
  static ContainerStack stack;
  static final Cli cli = new Cli();
  static final HttpClient http = HttpClient.newHttpClient();
  static String opsBearer;

  @BeforeAll
  static void startStack() throws Exception {
    ContainerStack.assumeImages();
    System.setProperty("arca.config.dir", dir.resolve("config").toString());
    stack = ContainerStack.start(dir);
    opsBearer = stack.logIn("ops", Map.of("grant_type", "client_credentials"));
    stack.logIn(
        "auditor",
        Map.of("grant_type", "password", "username", "auditor", "password", "auditor-pw"));
    // The security team and publisher set up through replica 1 only.
    Files.writeString(dir.resolve("policy.yaml"), policy(1, "synthetic"));
    cli.ok(as("ops", 1, "policy", "apply", dir.resolve("policy.yaml").toString()));
    ModelPublishing.publishConv2d(cli, dir, "replicas", as("ops", 1));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
    System.clearProperty("arca.config.dir");
  }

  @Test
  void aChallengeFromOneReplicaIsRedeemedAtAnotherAndOnlyOnce() throws Exception {
    DevDevice d = enrol("hop");
    ServiceClient.Challenge c = client(1).challenge();
    ServiceClient.Attestation a = d.attest(client(2), c);
    assertThat(a.grants()).extracting(Grant::modelId).containsExactly("conv2d");
    // The nonce was spent at replica 2; replica 3 knows it from the shared database.
    assertThatThrownBy(() -> d.attest(client(3), c))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> assertThat(e.type()).endsWith("attestation/nonce-replayed"));
  }

  @Test
  void attestationsSpreadOverTheReplicasFormOneGapFreeLog() throws Exception {
    DevDevice d = enrol("spread");
    ServiceClient balancer = new ServiceClient(URI.create(stack.balancerUrl()));
    for (int i = 0; i < 12; i++) {
      assertThat(d.attest(balancer, balancer.challenge()).grants()).hasSize(1);
    }
    Set<String> answering = new TreeSet<>();
    for (int i = 0; i < 6; i++) {
      answering.add(stack.replicaAnsweringAChallenge());
    }
    assertThat(answering).containsExactly("arca-1", "arca-2", "arca-3");
    assertThat(cli.ok(asBalancer("auditor", "audit", "verify"))).contains("verified");
  }

  @Test
  void aDeviceRevokedAtOneReplicaIsRefusedByEveryReplicaAtOnce() throws Exception {
    DevDevice d = enrol("revoked");
    assertThat(d.attest(client(3), client(3).challenge()).grants()).hasSize(1);
    cli.ok(as("ops", 1, "device", "revoke", d.id()));
    for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
      ServiceClient svc = client(r);
      assertThatThrownBy(() -> d.attest(svc, svc.challenge()))
          .as("replica %d", r)
          .isInstanceOfSatisfying(
              ServiceException.class,
              e -> assertThat(e.type()).endsWith("attestation/device-revoked"));
    }
  }

  @Test
  void aPolicyActivationAndAKeyRotationReachEveryReplicaWithinSeconds() throws Exception {
    DevDevice d = enrol("policy");
    Files.writeString(dir.resolve("deny.yaml"), policy(2, "none"));
    try {
      cli.ok(as("ops", 1, "policy", "apply", dir.resolve("deny.yaml").toString()));
      for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
        ServiceClient svc = client(r);
        awaitTrue("replica " + r + " denies under v2", () -> grants(d, svc) == 0);
      }
    } finally {
      Files.writeString(dir.resolve("permit.yaml"), policy(3, "synthetic"));
      cli.ok(as("ops", 1, "policy", "apply", dir.resolve("permit.yaml").toString()));
    }
    for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
      ServiceClient svc = client(r);
      awaitTrue("replica " + r + " permits under v3", () -> grants(d, svc) == 1);
    }

    HttpResponse<String> rotated =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.replicaUrl(1) + "/v1/signing-keys/rotate"))
                .header("Authorization", "Bearer " + opsBearer)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    String kid = JSON.readTree(rotated.body()).path("kid").asText();
    assertThat(kid).isNotEmpty();
    for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
      int replica = r;
      awaitTrue(
          "replica " + r + " publishes and signs with " + kid,
          () -> jwks(replica).contains(kid) && kid.equals(tokenKidFrom(d, client(replica))));
    }
  }

  @Test
  void aReplicaKilledUnderLoadLosesNoAcknowledgedEntry() throws Exception {
    Load load = Load.start(2, "kill");
    Thread.sleep(4000);
    stack.kill(2);
    Thread.sleep(6000);
    List<Acknowledged> acked = load.stop();
    stack.restart(2);
    assertEveryAcknowledgedIsLogged(acked, load);
  }

  @Test
  void postgresRestartedUnderLoadLosesNoAcknowledgedEntryAndNoReplicaNeedsARestart()
      throws Exception {
    Load load = Load.start(2, "db");
    Thread.sleep(3000);
    stack.restartPostgres();
    Thread.sleep(8000);
    List<Acknowledged> acked = load.stop();
    // Every replica serves again on its own (a device retries a 503 as it would any outage).
    DevDevice d = load.devices.get(0);
    for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
      ServiceClient svc = client(r);
      awaitTrue("replica " + r + " grants after the restart", () -> grants(d, svc) == 1);
    }
    assertEveryAcknowledgedIsLogged(acked, load);
  }

  @Test
  void afterPostgresRestartsWhileIdleEveryReplicaAnswersItsFirstAttestation() throws Exception {
    DevDevice d = enrol("idle-restart");
    stack.restartPostgres();
    for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
      stack.awaitReady(stack.replicaUrl(r), Duration.ofMinutes(1));
    }
    // No retries: pooled and sequencer connections are checked before use, not found dead by a
    // device's request.
    for (int r = 1; r <= ContainerStack.REPLICAS; r++) {
      ServiceClient svc = client(r);
      assertThat(d.attest(svc, svc.challenge()).grants()).as("replica %d", r).hasSize(1);
    }
  }

  @Test
  void theRuntimeImageAttestsThroughTheBalancerAndUnsealsItsModel() throws Exception {
    checkRuntime("container", stack::runtime);
  }

  @Test
  void theDistributionsRuntimeAttestsWithOnlyAJre() throws Exception {
    checkRuntime("tarball", stack::distributionRuntime);
  }

  /** A runtime container with {@code state} mounted, running {@code args}. */
  @FunctionalInterface
  private interface RuntimeContainer {
    GenericContainer<?> make(Path state, String[] args) throws Exception;
  }

  /**
   * Enrols the dev device {@code name} and runs {@code arca runtime --check} in the container
   * {@code runtime} makes, through the balancer: it must attest, be granted and unseal its model.
   */
  private void checkRuntime(String name, RuntimeContainer runtime) throws Exception {
    enrol(name);
    Path state = dir.resolve("devices/" + name);
    Files.copy(dir.resolve("ring.json"), state.resolve("ring.json"));
    // The containers run the runtime as an unprivileged user: the test's state folder (the dev
    // key made here for the enrolment) must be readable and the folder writable by it.
    try (var files = Files.walk(state)) {
      for (Path p : files.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-r--r--"));
      }
    }
    String[] args = {
      "runtime",
      "--check",
      "--service",
      "http://arca:8080",
      "--attester",
      "dev",
      "--state",
      "/var/lib/arca/state",
      "--publishers",
      "/var/lib/arca/state/ring.json",
      "--model",
      "conv2d:synthetic"
    };
    try (GenericContainer<?> container = runtime.make(state, args)) {
      // The consumer runs on Testcontainers' own thread.
      ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
      container.withLogConsumer(f -> log.add(f.getUtf8String()));
      try {
        container.start();
      } catch (ContainerLaunchException e) {
        throw new AssertionError(
            "the runtime container failed; its output:\n"
                + String.join("", log)
                + "\n"
                + stack.replicaErrors(),
            e);
      }
      assertThat(String.join("", log))
          .contains("check passed: attested; models granted and unsealed: {conv2d=1}");
    }
  }

  @Test
  void aReplicaAskedForJsonLogsWritesOneJsonObjectPerLine() throws Exception {
    List<String> lines =
        stack.replicas.get(2).getLogs(OutputFrame.OutputType.STDOUT).lines().toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.has("level") && n.has("message")).as(line).isTrue();
    }
    assertThat(lines).anyMatch(l -> l.contains("started in"));
  }

  /**
   * Every attestation a device was answered is in the log at the sequence it was told, with the
   * grants it received; and the log verifies, gap-free, through the balancer.
   */
  private static void assertEveryAcknowledgedIsLogged(List<Acknowledged> acked, Load load)
      throws Exception {
    assertThat(acked).as("attestations answered during the load").hasSizeGreaterThan(10);
    assertThat(load.failed).as("attestations that failed after retries").isEmpty();
    Map<Long, String> entries = new java.util.HashMap<>();
    for (DevDevice d : load.devices) {
      JsonNode hits =
          cli.json(
              ExitCode.OK,
              asBalancer(
                  "auditor", "audit", "search", "--device", d.id(), "--limit", "100000", "--json"));
      hits.forEach(h -> entries.put(h.path("index").asLong(), h.path("entry").toString()));
    }
    for (Acknowledged a : acked) {
      assertThat(entries).containsKey(a.sequence());
      assertThat(entries.get(a.sequence())).contains(a.device()).contains(a.grantIds());
    }
    assertThat(cli.ok(asBalancer("auditor", "audit", "verify"))).contains("verified");
  }

  /** What a device was told: the audit sequence of its appraisal and the grants it received. */
  record Acknowledged(String device, long sequence, List<String> grantIds) {}

  /**
   * Devices attesting in a loop through the balancer as runtimes do: a failed attempt (a connection
   * cut, a 5xx) is retried with a fresh challenge, up to a minute.
   */
  static final class Load {
    final List<DevDevice> devices;
    final ConcurrentLinkedQueue<Acknowledged> acked = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool;
    private final List<Future<?>> workers = new ArrayList<>();

    private Load(List<DevDevice> devices) {
      this.devices = devices;
      this.pool = Executors.newFixedThreadPool(devices.size());
    }

    static Load start(int devices, String name) throws Exception {
      List<DevDevice> list = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        list.add(enrol(name + "-" + i));
      }
      Load load = new Load(list);
      for (DevDevice d : list) {
        load.workers.add(load.pool.submit(() -> load.run(d)));
      }
      return load;
    }

    private void run(DevDevice d) {
      ServiceClient svc = new ServiceClient(URI.create(stack.balancerUrl()));
      while (running.get()) {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (true) {
          try {
            ServiceClient.Attestation a = d.attest(svc, svc.challenge());
            acked.add(
                new Acknowledged(
                    d.id(),
                    a.raw().path("auditSequence").asLong(),
                    a.grants().stream().map(Grant::grantId).collect(Collectors.toList())));
            break;
          } catch (ServiceException e) {
            // Status 0: no answer (a connection cut with its replica); 5xx: the service's fault.
            boolean retryable = e.status() == 0 || e.status() >= 500;
            if (!retryable || Instant.now().isAfter(giveUp)) {
              failed.add(d.id() + ": " + e.getMessage());
              break;
            }
          } catch (IOException e) {
            if (Instant.now().isAfter(giveUp)) {
              failed.add(d.id() + ": " + e);
              break;
            }
          }
          pause(250);
        }
      }
    }

    List<Acknowledged> stop() throws Exception {
      running.set(false);
      for (Future<?> w : workers) {
        w.get();
      }
      pool.shutdown();
      return new ArrayList<>(acked);
    }
  }

  /** A dev device enrolled through replica 1. */
  private static DevDevice enrol(String name) throws Exception {
    return DevDevice.enrolled(cli, dir.resolve("devices/" + name), as("ops", 1));
  }

  /**
   * How many grants {@code svc} gives {@code d} now: 0 when policy denies, -1 on any other error.
   */
  private static int grants(DevDevice d, ServiceClient svc) {
    try {
      return d.attest(svc, svc.challenge()).grants().size();
    } catch (ServiceException e) {
      return e.type().endsWith("attestation/policy-denied") ? 0 : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String jwks(int replica) {
    try {
      return http.send(
              HttpRequest.newBuilder(
                      URI.create(stack.replicaUrl(replica) + "/.well-known/jwks.json"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The key id of the token {@code svc} signs for {@code d} now. */
  private static String tokenKidFrom(DevDevice d, ServiceClient svc) {
    try {
      String token = d.attest(svc, svc.challenge()).token();
      String header = token.substring(0, token.indexOf('.'));
      return JSON.readTree(Base64.getUrlDecoder().decode(header)).path("kid").asText();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Polls {@code condition} every half second until it holds, failing after {@link
   * #WITHIN_SECONDS}.
   */
  private static void awaitTrue(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(WITHIN_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as(what + " within " + WITHIN_SECONDS).isBefore(deadline);
      pause(500);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ServiceClient client(int replica) {
    return new ServiceClient(URI.create(stack.replicaUrl(replica)));
  }

  private static String[] as(String profile, int replica, String... args) {
    return ContainerStack.cliArgs(stack.replicaUrl(replica), profile, args);
  }

  private static String[] asBalancer(String profile, String... args) {
    return ContainerStack.cliArgs(stack.balancerUrl(), profile, args);
  }

  static String policy(long version, String dataClass) {
    return AdminCommandsTest.policy("arca-replicas", version, dataClass);
  }
}
