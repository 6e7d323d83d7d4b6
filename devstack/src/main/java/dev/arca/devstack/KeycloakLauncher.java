// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Starts a real Keycloak server from its Maven distribution in development mode, offline and on
 * loopback: {@code kc.sh start-dev --import-realm} with the given realm JSON files, free loopback
 * ports for HTTP and the management interface, an in-memory database ({@code db=dev-mem}, so every
 * start imports the realms afresh and nothing is left on disk), a local cache (no cluster
 * discovery), health checks for readiness and a modest heap.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
 *   RunningKeycloak kc = new KeycloakLauncher(KeycloakDistribution.locate(repo))
 *       .realm(repo.realmJson())
 *       .start(stack, step::waiting);
 *   AccessToken admin = kc.passwordToken("arca-automation", secret, "policy-admin", password);
 * }
 * }</pre>
 *
 * <p>Development mode only: HTTP without TLS on 127.0.0.1, never a production setup. The realm
 * files are copied into the distribution's {@code data/import} directory, replacing any JSON files
 * there, so two launchers must not share a distribution at the same time.
 */
public final class KeycloakLauncher {

  /** Default readiness timeout: first start re-augments Keycloak, slow on a small machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** Starts tried when a drawn port was taken before Keycloak bound it. */
  static final int PORT_ATTEMPTS = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakDistribution distribution;
  private final List<Path> realms = new ArrayList<>();
  private String heap = "-Xms64m -Xmx512m";
  private Duration timeout = DEFAULT_TIMEOUT;
  private Supplier<int[]> portSource = () -> ProcessSupervisor.freeLoopbackPorts(2);

  /** A launcher for {@code distribution}; add at least one {@link #realm(Path)}. */
  public KeycloakLauncher(KeycloakDistribution distribution) {
    this.distribution = Objects.requireNonNull(distribution, "distribution");
  }

  /**
   * Imports this realm JSON file (a realm export, {@code "realm"} names it). The first is the
   * default realm.
   */
  public KeycloakLauncher realm(Path realmJson) {
    realms.add(Objects.requireNonNull(realmJson, "realmJson"));
    return this;
  }

  /** JVM heap options (JAVA_OPTS_KC_HEAP); default {@code -Xms64m -Xmx512m}. */
  public KeycloakLauncher heap(String heapOptions) {
    this.heap = Objects.requireNonNull(heapOptions, "heapOptions");
    return this;
  }

  /** How long to wait for readiness; default {@link #DEFAULT_TIMEOUT}. */
  public KeycloakLauncher timeout(Duration readinessTimeout) {
    this.timeout = Objects.requireNonNull(readinessTimeout, "readinessTimeout");
    return this;
  }

  /**
   * Where the HTTP and management ports come from; package-private so a test can hand out a taken
   * port first. Default: two distinct free loopback ports per start.
   */
  KeycloakLauncher ports(Supplier<int[]> httpAndManagementPorts) {
    this.portSource = Objects.requireNonNull(httpAndManagementPorts, "httpAndManagementPorts");
    return this;
  }

  /**
   * Starts Keycloak under {@code supervisor} (log {@code keycloak.log}) and waits until it is
   * healthy and every imported realm answers its OpenID discovery document. If another process took
   * a drawn port before Keycloak bound it ("Address already in use" in its log), Keycloak is
   * started again on fresh ports, up to {@value #PORT_ATTEMPTS} times (logs {@code keycloak-2.log},
   * ...).
   *
   * @param listener told of each poll while waiting (20-60 s on a loaded 2-core machine)
   * @throws DevStackException {@code devstack.missing} for a missing or unnamed realm file, {@code
   *     devstack.start-failed}, {@code devstack.exited} or {@code devstack.not-ready} quoting
   *     Keycloak's log; Keycloak is stopped again on failure
   */
  public RunningKeycloak start(ProcessSupervisor supervisor, ReadinessListener listener)
      throws DevStackException {
    if (realms.isEmpty()) {
      throw new IllegalStateException("add at least one realm before start()");
    }
    List<String> realmNames = importRealms();
    for (int attempt = 1; ; attempt++) {
      int[] ports = portSource.get();
      try {
        return startOn(supervisor, listener, realmNames, ports[0], ports[1]);
      } catch (PortTakenException e) {
        if (attempt == PORT_ATTEMPTS) {
          throw e.failure;
        }
      }
    }
  }

  /** One start on the given ports; a bind clash is a {@link PortTakenException}, to draw again. */
  private RunningKeycloak startOn(
      ProcessSupervisor supervisor,
      ReadinessListener listener,
      List<String> realmNames,
      int port,
      int managementPort)
      throws DevStackException, PortTakenException {
    ProcessBuilder kc = new ProcessBuilder(command(port, managementPort));
    kc.directory(distribution.home().toFile());
    Map<String, String> env = kc.environment();
    env.put("JAVA_HOME", System.getProperty("java.home")); // the demo's own JDK
    // TieredStopAtLevel=1: quicker start-up on 2 cores; Keycloak serves a handful of requests.
    env.put("JAVA_OPTS_KC_HEAP", heap + " -XX:TieredStopAtLevel=1");
    env.remove("JAVA_OPTS"); // would replace kc.sh's defaults wholesale
    ManagedProcess process = supervisor.start("keycloak", kc);
    RunningKeycloak running =
        new RunningKeycloak(process, "http://127.0.0.1:" + port, realmNames, managementPort);
    try {
      long start = System.nanoTime();
      process.awaitHttp(
          URI.create("http://127.0.0.1:" + managementPort + "/health/ready"), timeout, listener);
      for (String realm : realmNames) {
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        process.awaitHttp(
            URI.create(running.realmUrl(realm) + "/.well-known/openid-configuration"),
            left.isNegative() ? Duration.ofSeconds(1) : left,
            listener);
      }
      return running;
    } catch (DevStackException e) {
      process.stop(ProcessSupervisor.DEFAULT_GRACE);
      if (DevStackException.EXITED.equals(e.id()) && logSays(process, "Address already in use")) {
        throw new PortTakenException(e);
      }
      throw e;
    }
  }

  private static boolean logSays(ManagedProcess process, String text) {
    try {
      return Files.readString(process.logFile(), StandardCharsets.UTF_8).contains(text);
    } catch (IOException | UncheckedIOException e) {
      return false; // unreadable log: report the original failure
    }
  }

  /**
   * Another process took a drawn port between drawing and Keycloak binding it (ports are drawn
   * free, then released for Keycloak to bind).
   */
  private static final class PortTakenException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient DevStackException failure;

    PortTakenException(DevStackException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  private List<String> command(int port, int managementPort) {
    List<String> command = new ArrayList<>();
    boolean windows =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    if (windows) {
      command.addAll(List.of("cmd", "/c", distribution.home().resolve("bin/kc.bat").toString()));
    } else {
      command.addAll(List.of("sh", distribution.startScript().toString()));
    }
    command.addAll(
        List.of(
            "start-dev",
            "--import-realm",
            "--http-host=127.0.0.1",
            "--http-port=" + port,
            "--http-management-port=" + managementPort,
            "--hostname-strict=false",
            "--health-enabled=true",
            "--cache=local",
            "--db=dev-mem"));
    return command;
  }

  private List<String> importRealms() throws DevStackException {
    Path importDir = distribution.importDirectory();
    List<String> names = new ArrayList<>();
    try {
      Files.createDirectories(importDir);
      // Only this launcher's realms: a file left by an earlier run would be imported too.
      try (DirectoryStream<Path> old = Files.newDirectoryStream(importDir, "*.json")) {
        for (Path p : old) {
          Files.delete(p);
        }
      }
      for (Path realm : realms) {
        String name = realmName(realm);
        names.add(name);
        Files.copy(
            realm, importDir.resolve(name + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new DevStackException(
          DevStackException.START_FAILED,
          "cannot copy realms into " + importDir + ": " + e.getMessage(),
          e);
    }
    return names;
  }

  private static String realmName(Path realm) throws DevStackException {
    if (!Files.isRegularFile(realm)) {
      throw new DevStackException(DevStackException.MISSING, "realm file " + realm + " not found");
    }
    try {
      JsonNode name = JSON.readTree(realm.toFile()).path("realm");
      if (!name.isTextual() || !name.asText().matches("[A-Za-z0-9_-]+")) {
        throw new DevStackException(
            DevStackException.MISSING,
            "realm file " + realm + " has no plain \"realm\" name (letters, digits, - and _)");
      }
      return name.asText();
    } catch (IOException e) {
      throw new DevStackException(
          DevStackException.MISSING, "realm file " + realm + " is not JSON: " + e.getMessage(), e);
    }
  }
}
