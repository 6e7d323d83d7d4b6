// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.devstack.RunningKeycloak;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the service's OIDC tenant at the shared real Keycloak ({@link KeycloakServer}). Every
 * {@code @QuarkusTest} uses the same resources, so Quarkus and Keycloak start once per run.
 */
public final class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    RunningKeycloak kc = KeycloakServer.shared();
    return Map.of(
        "quarkus.oidc.auth-server-url", kc.realmUrl(),
        "arca.test.keycloak.realm-url", kc.realmUrl());
  }

  @Override
  public void stop() {
    // Shared for the whole JVM; its process supervisor stops it at exit.
  }
}
