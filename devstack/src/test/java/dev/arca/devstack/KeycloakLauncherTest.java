// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Keycloak from {@code org.keycloak:keycloak-quarkus-dist} (unpacked by this module's
 * build), started once for the whole test: 20-60 s on a loaded 2-core machine.
 */
class KeycloakLauncherTest {

  @TempDir Path runDir;

  /**
   * The first start is handed a management port another process holds (as happens when a drawn free
   * port is taken before Keycloak binds it: seen in CI): Keycloak is started again on fresh ports,
   * and the tokens below come from that second start.
   */
  @Test
  void startsKeycloakPastATakenPortIssuesTokensWithRealmRolesAndLeavesNoProcessBehind()
      throws Exception {
    KeycloakDistribution dist = distribution();
    List<ProcessHandle> keycloakTree = new ArrayList<>();
    StringBuilder progress = new StringBuilder();
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir);
        ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      AtomicInteger draws = new AtomicInteger();
      RunningKeycloak kc =
          new KeycloakLauncher(dist)
              .realm(testRealm())
              .ports(
                  () ->
                      draws.getAndIncrement() == 0
                          ? new int[] {ProcessSupervisor.freeLoopbackPort(), taken.getLocalPort()}
                          : ProcessSupervisor.freeLoopbackPorts(2))
              .start(stack, elapsed -> progress.append('.'));
      assertThat(draws).hasValue(2);
      assertThat(stack.runDirectory().resolve("keycloak.log"))
          .content()
          .contains("Address already in use");
      assertThat(kc.process().logFile()).isEqualTo(stack.runDirectory().resolve("keycloak-2.log"));
      assertThat(stack.children().get(0).handle().isAlive()).isFalse();
      keycloakTree.add(kc.process().handle());
      kc.process().handle().descendants().forEach(keycloakTree::add);
      // kc.sh runs Keycloak's JVM as its child, or exec's it after re-augmenting the dist (first
      // start with these options): a tree of one or two, all stopped at the end.
      assertThat(keycloakTree).isNotEmpty().allMatch(ProcessHandle::isAlive);
      assertThat(keycloakTree)
          .anyMatch(h -> h.info().commandLine().orElse("").contains("QuarkusEntryPoint"));
      assertThat(progress).isNotEmpty();
      assertThat(kc.realmUrl()).matches("http://127\\.0\\.0\\.1:\\d+/realms/devstack-test");

      AccessToken user =
          kc.passwordToken(
              "devstack-test", "devstack-test-secret", "security-team", "security-team-pw");
      assertThat(user.username()).isEqualTo("security-team");
      assertThat(user.realmRoles()).contains("policy-admin").doesNotContain("auditor");
      assertThat(user.claims().path("iss").asText()).isEqualTo(kc.realmUrl());
      assertThat(user.expiresIn()).isPositive();
      assertThat(user.toString()).doesNotContain(user.bearer()).contains("<redacted>");
      assertThat(user.authorizationHeader()).isEqualTo("Bearer " + user.bearer());

      AccessToken service = kc.clientCredentialsToken("devstack-test", "devstack-test-secret");
      assertThat(service.realmRoles()).contains("auditor").doesNotContain("policy-admin");

      assertThatThrownBy(
              () ->
                  kc.passwordToken(
                      "devstack-test", "devstack-test-secret", "security-team", "wrong-pw-123"))
          .isInstanceOfSatisfying(
              DevStackException.class,
              e -> assertThat(e.id()).isEqualTo(DevStackException.TOKEN_REFUSED))
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining("invalid_grant")
          .hasMessageNotContaining("wrong-pw-123");
    }
    assertThat(keycloakTree).noneMatch(ProcessHandle::isAlive);
    assertThat(ProcessHandle.current().descendants()).noneMatch(h -> keycloakTree.contains(h));
  }

  @Test
  void aRealmFileWithoutANameIsRefusedBeforeAnythingStarts() throws Exception {
    Path nameless = runDir.resolve("nameless.json");
    java.nio.file.Files.writeString(nameless, "{\"enabled\": true}");
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir.resolve("run"))) {
      assertThatThrownBy(
              () ->
                  new KeycloakLauncher(distribution())
                      .realm(nameless)
                      .start(stack, ReadinessListener.NONE))
          .isInstanceOfSatisfying(
              DevStackException.class, e -> assertThat(e.id()).isEqualTo(DevStackException.MISSING))
          .hasMessageContaining("no plain \"realm\" name");
      assertThat(stack.children()).isEmpty();
    }
  }

  @Test
  void aMissingDistributionNamesTheUnpackCommand() {
    assertThatThrownBy(() -> KeycloakDistribution.at(runDir))
        .isInstanceOfSatisfying(
            DevStackException.class, e -> assertThat(e.id()).isEqualTo(DevStackException.MISSING))
        .hasMessageContaining(KeycloakDistribution.unpackCommand());
  }

  private static KeycloakDistribution distribution() throws DevStackException {
    // The build sets arca.keycloak.dist; from an IDE, the repository's unpacked copy is used.
    return KeycloakDistribution.locate(RepositoryLayout.find(Path.of("")));
  }

  private static Path testRealm() throws URISyntaxException {
    return Path.of(
        KeycloakLauncherTest.class.getResource("/keycloak/devstack-test-realm.json").toURI());
  }
}
