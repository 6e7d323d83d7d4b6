// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.service;

import dev.arca.cli.ExitCode;
import dev.arca.devstack.DevStackException;
import dev.arca.devstack.ProcessSupervisor;
import dev.arca.devstack.ReadinessListener;
import dev.arca.devstack.RepositoryLayout;
import dev.arca.devstack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca service}: runs the attestation service on embedded defaults (a real PostgreSQL under
 * {@code ARCA_DATA_DIR}, default {@code ~/.arca/data}; port from {@code QUARKUS_HTTP_PORT}, default
 * 8080). Without Keycloak configured ({@code QUARKUS_OIDC_AUTH_SERVER_URL}) the admin API answers
 * 401.
 *
 * <p>The service's fast-jar comes from the distribution this command runs from ({@code
 * <arca.home>/service/quarkus-app}, {@code dist/README.md}) or else from an Arca checkout, which
 * the Maven wrapper builds the first time. The service runs as this command's child process with
 * the JVM options in {@code ARCA_SERVICE_JAVA_OPTS}; stopping this command stops it.
 */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = {
      "Run the attestation service (embedded PostgreSQL by default).",
      "Environment: QUARKUS_HTTP_PORT (8080), ARCA_DATA_DIR (~/.arca/data),",
      "QUARKUS_DATASOURCE_JDBC_URL (use that PostgreSQL), QUARKUS_OIDC_AUTH_SERVER_URL (Keycloak realm),",
      "ARCA_SERVICE_JAVA_OPTS (the service JVM's options, e.g. -Xmx512m)."
    })
public final class ServiceCommand implements Callable<Integer> {

  /** How long the service gets to stop after this command is stopped. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  @Option(
      names = "--root",
      description =
          "Arca checkout holding attestation-service/ (default: the distribution's service, else the checkout found from this jar).")
  Path root;

  @Option(names = "--no-build", description = "Fail instead of building a missing service jar.")
  boolean noBuild;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String options = System.getenv("ARCA_SERVICE_JAVA_OPTS");
    if (options != null && !options.isBlank()) {
      command.addAll(List.of(options.trim().split("\\s+", -1)));
    }
    command.add("-jar");
    command.add(serviceJar().toString());
    Process p = new ProcessBuilder(command).inheritIO().start();
    // The service is this command's child: it stops when this process stops.
    Thread stopper =
        new Thread(
            () -> {
              p.destroy();
              try {
                p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "arca-service-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    int code = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // already exiting
    }
    return code == 0 || code == 130 || code == 143 ? ExitCode.OK : ExitCode.FAILED;
  }

  /** The distribution's service when there is one and no {@code --root}; else the checkout's. */
  private Path serviceJar() throws IOException, InterruptedException {
    String home = System.getProperty("arca.home", System.getenv().getOrDefault("ARCA_HOME", "."));
    Path distributed = Path.of(home, "service", "quarkus-app", "quarkus-run.jar");
    if (root == null && Files.isRegularFile(distributed)) {
      return distributed;
    }
    try {
      RepositoryLayout repo =
          root != null ? RepositoryLayout.at(root) : RepositoryLayout.find(Path.of(home));
      if (!Files.isRegularFile(repo.serviceRunJar())) {
        if (noBuild) {
          throw new IOException(
              "no service jar at "
                  + repo.serviceRunJar()
                  + "; build it: ./mvnw -B -q -pl attestation-service -am package -DskipTests");
        }
        System.err.println("arca: building the attestation service (first run)...");
        try (ProcessSupervisor build =
            ProcessSupervisor.create(Files.createTempDirectory("arca-service-build-"))) {
          ServiceProcess.ensureBuilt(repo, build, ReadinessListener.NONE);
        }
      }
      return repo.serviceRunJar();
    } catch (DevStackException e) {
      throw new IOException(
          e.getMessage() + " (or run the arca of a distribution, whose service is built)", e);
    }
  }
}
