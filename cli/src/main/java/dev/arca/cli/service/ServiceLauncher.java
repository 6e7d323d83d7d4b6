package dev.arca.cli.service;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds, builds and runs the attestation service's jar as a child process. */
final class ServiceLauncher {
  private ServiceLauncher() {}

  /** The checkout root: ARCA_HOME, else the folder above cli/target holding this jar. */
  static Path findRoot() throws IOException {
    String home = System.getenv("ARCA_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    try {
      Path here =
          Path.of(
              ServiceLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("attestation-service"))
            && Files.exists(p.resolve("mvnw"))) {
          return p;
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the message below
    }
    throw new IOException("cannot find the Arca checkout; pass --root or set ARCA_HOME");
  }

  static Path serviceJar(Path root) {
    return root.resolve("attestation-service/target/quarkus-app/quarkus-run.jar");
  }

  static void build(Path root) throws IOException, InterruptedException {
    System.err.println("arca: building the attestation service (first run)...");
    Process p =
        new ProcessBuilder(
                List.of(
                    root.resolve("mvnw").toString(),
                    "-B",
                    "-q",
                    "-pl",
                    "attestation-service",
                    "-am",
                    "package",
                    "-DskipTests",
                    "-Dspotless.check.skip=true"))
            .directory(root.toFile())
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (p.waitFor() != 0) {
      throw new IOException("building the attestation service failed (see the Maven output above)");
    }
  }

  /** Runs {@code cmd} with this terminal and environment; stops it when this process stops. */
  static int run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    Thread stopper = new Thread(p::destroy, "arca-service-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    int code = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // already exiting
    }
    return code;
  }
}
