// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the dev stack finds its parts in an Arca checkout: the Maven wrapper, the Keycloak realm,
 * the built service and the unpacked Keycloak distribution. The root is the nearest directory, from
 * a start directory upwards, holding {@code mvnw} and {@code devstack/pom.xml}.
 */
public final class RepositoryLayout {

  private final Path root;

  private RepositoryLayout(Path root) {
    this.root = root;
  }

  /**
   * Finds the checkout containing {@code start} (usually the working directory).
   *
   * @throws DevStackException {@code devstack.missing} if no parent of {@code start} is an Arca
   *     checkout
   */
  public static RepositoryLayout find(Path start) throws DevStackException {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))
          && Files.isRegularFile(dir.resolve("devstack/pom.xml"))) {
        return new RepositoryLayout(dir);
      }
    }
    throw new DevStackException(
        DevStackException.MISSING,
        "no Arca checkout (a directory with mvnw and devstack/pom.xml) at or above "
            + start.toAbsolutePath()
            + "; run from inside the repository");
  }

  /** A layout rooted at {@code root}, without checking it. */
  public static RepositoryLayout at(Path root) {
    return new RepositoryLayout(root.toAbsolutePath().normalize());
  }

  /** The checkout's root directory. */
  public Path root() {
    return root;
  }

  /** The Maven wrapper script, {@code <root>/mvnw}. */
  public Path mavenWrapper() {
    return root.resolve("mvnw");
  }

  /**
   * The service's Keycloak realm, {@code attestation-service/src/main/keycloak/arca-realm.json}.
   */
  public Path realmJson() {
    return root.resolve("attestation-service/src/main/keycloak/arca-realm.json");
  }

  /**
   * The service's Quarkus fast-jar launcher, {@code
   * attestation-service/target/quarkus-app/quarkus-run.jar}.
   */
  public Path serviceRunJar() {
    return root.resolve("attestation-service/target/quarkus-app/quarkus-run.jar");
  }

  /** Where the devstack build unpacks {@code keycloak-quarkus-dist} of the given version. */
  public Path keycloakDistribution(String version) {
    return root.resolve("devstack/target/keycloak/keycloak-" + version);
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
