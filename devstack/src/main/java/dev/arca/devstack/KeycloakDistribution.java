// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The Keycloak server distribution ({@code org.keycloak:keycloak-quarkus-dist}, zip) unpacked on
 * disk. The devstack build unpacks it into {@code devstack/target/keycloak} during {@code
 * process-resources}; {@link #ensureUnpacked} runs that step alone when it is missing.
 */
public final class KeycloakDistribution {

  /** System property naming an unpacked distribution to use instead of the repository's. */
  public static final String DIST_PROPERTY = "arca.keycloak.dist";

  private final Path home;

  private KeycloakDistribution(Path home) {
    this.home = home;
  }

  /** The Keycloak version this build was made with (the parent pom's {@code keycloak.version}). */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = KeycloakDistribution.class.getResourceAsStream("devstack.properties")) {
      if (in == null) {
        throw new IllegalStateException("devstack.properties missing from the devstack jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("keycloak.version");
  }

  /** The shell command that unpacks the distribution into the repository. */
  public static String unpackCommand() {
    return "./mvnw -B -q -pl devstack dependency:unpack@unpack-keycloak";
  }

  /**
   * A distribution at {@code home} (the directory holding {@code bin/kc.sh}).
   *
   * @throws DevStackException {@code devstack.missing} if {@code bin/kc.sh} is not there
   */
  public static KeycloakDistribution at(Path home) throws DevStackException {
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      throw new DevStackException(
          DevStackException.MISSING,
          "no Keycloak distribution at "
              + home
              + " (bin/kc.sh missing); unpack it from the repository root with: "
              + unpackCommand());
    }
    return new KeycloakDistribution(home.toAbsolutePath());
  }

  /**
   * The distribution named by the {@value #DIST_PROPERTY} system property, else the one the
   * repository's build unpacked.
   *
   * @throws DevStackException {@code devstack.missing}, naming the command that unpacks it
   */
  public static KeycloakDistribution locate(RepositoryLayout repo) throws DevStackException {
    String override = System.getProperty(DIST_PROPERTY);
    return at(override != null ? Path.of(override) : repo.keycloakDistribution(version()));
  }

  /**
   * {@link #locate}, first unpacking the distribution with the Maven wrapper if it is missing (a
   * one-time download of about 160 MB from Maven Central unless it is in the local repository).
   *
   * @throws DevStackException if the unpack fails (the message quotes Maven's output) or takes
   *     longer than 20 minutes
   */
  public static KeycloakDistribution ensureUnpacked(
      RepositoryLayout repo, ProcessSupervisor supervisor, ReadinessListener listener)
      throws DevStackException {
    try {
      return locate(repo);
    } catch (DevStackException missing) {
      if (System.getProperty(DIST_PROPERTY) != null) {
        throw missing;
      }
    }
    ProcessBuilder mvn =
        new ProcessBuilder(
                List.of(
                    repo.mavenWrapper().toString(),
                    "-B",
                    "-q",
                    "-pl",
                    "devstack",
                    "dependency:unpack@unpack-keycloak"))
            .directory(repo.root().toFile());
    mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
    ManagedProcess unpack = supervisor.start("keycloak-unpack", mvn);
    int code = unpack.awaitExit(Duration.ofMinutes(20), listener);
    if (code != 0) {
      throw new DevStackException(
          DevStackException.START_FAILED,
          "unpacking Keycloak failed (exit "
              + code
              + "); see "
              + unpack.logFile()
              + "; last lines: "
              + String.join(" | ", unpack.lastLogLines(10)));
    }
    return locate(repo);
  }

  /** The distribution's home directory (holding {@code bin/}, {@code lib/}, {@code data/}). */
  public Path home() {
    return home;
  }

  /** The start script, {@code bin/kc.sh}. */
  public Path startScript() {
    return home.resolve("bin/kc.sh");
  }

  /** The directory {@code start-dev --import-realm} reads realm JSON files from. */
  public Path importDirectory() {
    return home.resolve("data/import");
  }

  @Override
  public String toString() {
    return home.toString();
  }
}
