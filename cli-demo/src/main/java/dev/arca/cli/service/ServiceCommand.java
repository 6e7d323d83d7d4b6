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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca service}: runs the attestation service on embedded defaults (a real PostgreSQL under
 * {@code ARCA_DATA_DIR}, default {@code ~/.arca/data}; port from {@code QUARKUS_HTTP_PORT}, default
 * 8080). Builds the service with the Maven wrapper the first time. Without Keycloak configured
 * ({@code QUARKUS_OIDC_AUTH_SERVER_URL}) the admin API answers 401.
 */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = {
      "Run the attestation service (embedded PostgreSQL by default).",
      "Environment: QUARKUS_HTTP_PORT (8080), ARCA_DATA_DIR (~/.arca/data),",
      "QUARKUS_DATASOURCE_JDBC_URL (use that PostgreSQL), QUARKUS_OIDC_AUTH_SERVER_URL (Keycloak realm)."
    })
public final class ServiceCommand implements Callable<Integer> {

  @Option(
      names = "--root",
      description = "Arca checkout holding attestation-service/ (default: found from this jar).")
  Path root;

  @Option(names = "--no-build", description = "Fail instead of building a missing service jar.")
  boolean noBuild;

  @Override
  public Integer call() throws IOException, InterruptedException {
    RepositoryLayout repo;
    try {
      repo =
          root != null
              ? RepositoryLayout.at(root)
              : RepositoryLayout.find(
                  Path.of(
                      System.getProperty(
                          "arca.home", System.getenv().getOrDefault("ARCA_HOME", "."))));
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
    } catch (DevStackException e) {
      throw new IOException(e.getMessage(), e);
    }
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                repo.serviceRunJar().toString())
            .inheritIO()
            .start();
    // The service is this command's child: it stops when this process stops.
    Thread stopper = new Thread(p::destroy, "arca-service-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    int code = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // already exiting
    }
    return code == 0 || code == 130 || code == 143 ? ExitCode.OK : ExitCode.USAGE;
  }
}
