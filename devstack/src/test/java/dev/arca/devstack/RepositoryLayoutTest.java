// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryLayoutTest {

  @Test
  void findsTheCheckoutFromTheModuleDirectory() throws Exception {
    // Surefire runs in devstack/; the checkout root is its parent.
    RepositoryLayout repo = RepositoryLayout.find(Path.of(""));
    assertThat(repo.mavenWrapper()).isRegularFile();
    assertThat(repo.root().resolve("devstack/pom.xml")).isRegularFile();
    assertThat(repo.keycloakDistribution(KeycloakDistribution.version()))
        .isEqualTo(
            repo.root()
                .resolve("devstack/target/keycloak/keycloak-" + KeycloakDistribution.version()));
    assertThat(repo.serviceRunJar())
        .isEqualTo(repo.root().resolve("attestation-service/target/quarkus-app/quarkus-run.jar"));
  }

  @Test
  void outsideACheckoutSaysWhereToRunFrom(@TempDir Path elsewhere) {
    assertThatThrownBy(() -> RepositoryLayout.find(elsewhere))
        .isInstanceOfSatisfying(
            DevStackException.class, e -> assertThat(e.id()).isEqualTo(DevStackException.MISSING))
        .hasMessageContaining("run from inside the repository");
  }

  @Test
  void theKeycloakVersionComesFromTheBuild() {
    assertThat(KeycloakDistribution.version()).matches("\\d+\\.\\d+\\.\\d+");
  }
}
