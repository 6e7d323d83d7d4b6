package dev.arca.cli.service;

import dev.arca.cli.Arca;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    Path checkout = root != null ? root : ServiceLauncher.findRoot();
    Path jar = ServiceLauncher.serviceJar(checkout);
    if (!Files.isRegularFile(jar)) {
      if (noBuild) {
        throw new IOException(
            "no service jar at "
                + jar
                + "; build it: ./mvnw -B -q -pl attestation-service -am package -DskipTests");
      }
      ServiceLauncher.build(checkout);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    int code = ServiceLauncher.run(cmd);
    return code == 0 || code == 130 || code == 143 ? Arca.OK : Arca.USAGE;
  }
}
