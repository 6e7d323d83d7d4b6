// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts the attestation service's Quarkus fast-jar ({@code
 * attestation-service/target/quarkus-app/quarkus-run.jar}) as a supervised child with this JVM's
 * own JDK: a real embedded PostgreSQL under the given data directory (kept across restarts of the
 * same directory), a free loopback port, and — when an issuer is given — Keycloak as the OpenID
 * provider for the admin API. Ready when {@code /q/health/ready} answers 200.
 *
 * <pre>{@code
 * RunningService service = ServiceProcess.builder(repo)
 *     .dataDirectory(runDir.resolve("service-data"))
 *     .issuer(keycloak.realmUrl())
 *     .start(stack, step.waiting("service"));
 * }</pre>
 *
 * <p>Without an issuer the service still starts, and its admin endpoints answer 401 (fail closed).
 * Configuration is passed as {@code -D} system properties, visible in the process list, so it never
 * carries secrets. Development use on loopback only.
 */
public final class ServiceProcess {

  /** Default readiness timeout: Quarkus plus a first PostgreSQL initdb on a loaded 2-core box. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(4);

  /** The command that builds the jar, quoted in errors. */
  public static final String BUILD_COMMAND =
      "./mvnw -B -q -pl attestation-service -am package -DskipTests";

  private final RepositoryLayout repo;
  private Path dataDirectory;
  private String issuer;
  private int port;
  private Duration timeout = DEFAULT_TIMEOUT;
  private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx384m"));
  private final Map<String, String> properties = new LinkedHashMap<>();
  private String name = "service";

  private ServiceProcess(RepositoryLayout repo) {
    this.repo = repo;
  }

  /** A launcher for the service built in {@code repo}. */
  public static ServiceProcess builder(RepositoryLayout repo) {
    return new ServiceProcess(Objects.requireNonNull(repo, "repo"));
  }

  /** Where the embedded PostgreSQL keeps its data ({@code arca.data-dir}); required. */
  public ServiceProcess dataDirectory(Path dir) {
    this.dataDirectory = Objects.requireNonNull(dir, "dir").toAbsolutePath();
    return this;
  }

  /** The OpenID issuer (Keycloak realm URL) whose tokens the admin API accepts. */
  public ServiceProcess issuer(String realmUrl) {
    this.issuer = Objects.requireNonNull(realmUrl, "realmUrl");
    return this;
  }

  /** A fixed HTTP port (default: a free loopback port). */
  public ServiceProcess port(int httpPort) {
    this.port = httpPort;
    return this;
  }

  /** Readiness timeout; default {@link #DEFAULT_TIMEOUT}. */
  public ServiceProcess timeout(Duration readinessTimeout) {
    this.timeout = Objects.requireNonNull(readinessTimeout, "readinessTimeout");
    return this;
  }

  /** Another service configuration property (never a secret: it shows in the process list). */
  public ServiceProcess property(String key, String value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** The child's name (log file {@code <name>.log}); default {@code service}. */
  public ServiceProcess name(String childName) {
    this.name = Objects.requireNonNull(childName, "childName");
    return this;
  }

  /**
   * Starts the service under {@code supervisor} and waits until it is ready.
   *
   * @throws DevStackException {@code devstack.missing} if the jar is not built (the message names
   *     {@link #BUILD_COMMAND}), {@code devstack.exited} / {@code devstack.not-ready} quoting the
   *     service's log; the service is stopped again on failure
   */
  public RunningService start(ProcessSupervisor supervisor, ReadinessListener listener)
      throws DevStackException {
    if (dataDirectory == null) {
      throw new IllegalStateException("set dataDirectory(...) before start()");
    }
    int httpPort = port != 0 ? port : ProcessSupervisor.freeLoopbackPort();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("quarkus.http.host", "127.0.0.1");
    config.put("quarkus.http.port", Integer.toString(httpPort));
    config.put("arca.data-dir", dataDirectory.toString());
    if (issuer != null) {
      config.put("quarkus.oidc.auth-server-url", issuer);
    }
    config.putAll(properties);
    ProcessBuilder pb =
        JavaLauncher.jar(repo.serviceRunJar(), jvmOptions, config, List.of(), BUILD_COMMAND);
    pb.directory(repo.root().toFile());
    // The child reads its configuration from -D only: environment overrides of a developer's
    // shell (QUARKUS_HTTP_PORT, QUARKUS_DATASOURCE_JDBC_URL, ARCA_DATA_DIR) must not leak in.
    pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("ARCA_"));
    ManagedProcess process = supervisor.start(name, pb);
    RunningService running =
        new RunningService(process, URI.create("http://127.0.0.1:" + httpPort));
    try {
      process.awaitHttp(running.url("/q/health/ready"), timeout, listener);
      return running;
    } catch (DevStackException e) {
      process.stop(ProcessSupervisor.DEFAULT_GRACE);
      throw e;
    }
  }

  /**
   * Builds the service jar with the Maven wrapper when it is missing (first run), under {@code
   * supervisor} so Ctrl-C stops the build too.
   *
   * @throws DevStackException {@code devstack.start-failed} if the build fails (the message quotes
   *     Maven's output) or takes longer than 30 minutes
   */
  public static void ensureBuilt(
      RepositoryLayout repo, ProcessSupervisor supervisor, ReadinessListener listener)
      throws DevStackException {
    if (java.nio.file.Files.isRegularFile(repo.serviceRunJar())) {
      return;
    }
    ProcessBuilder mvn =
        new ProcessBuilder(
                List.of(
                    repo.mavenWrapper().toString(),
                    "-B",
                    "-q",
                    "-pl",
                    "attestation-service",
                    "-am",
                    "package",
                    "-DskipTests",
                    "-Dspotless.check.skip=true"))
            .directory(repo.root().toFile());
    mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
    ManagedProcess build = supervisor.start("service-build", mvn);
    int code = build.awaitExit(Duration.ofMinutes(30), listener);
    if (code != 0 || !java.nio.file.Files.isRegularFile(repo.serviceRunJar())) {
      throw new DevStackException(
          DevStackException.START_FAILED,
          "building the attestation service failed (exit "
              + code
              + "); see "
              + build.logFile()
              + "; last lines: "
              + String.join(" | ", build.lastLogLines(10)));
    }
  }
}
