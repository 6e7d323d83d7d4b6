// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import dev.arca.devstack.DevStackException;
import dev.arca.devstack.KeycloakDistribution;
import dev.arca.devstack.KeycloakLauncher;
import dev.arca.devstack.ProcessSupervisor;
import dev.arca.devstack.ReadinessListener;
import dev.arca.devstack.RepositoryLayout;
import dev.arca.devstack.RunningKeycloak;
import dev.arca.devstack.RunningService;
import dev.arca.devstack.ServiceProcess;
import java.nio.file.Path;

/**
 * A real Keycloak (the repository's realm) and the real attestation service (embedded PostgreSQL)
 * as child processes, started once per test class through devstack and always stopped.
 */
final class LiveStack implements AutoCloseable {
  final RepositoryLayout repo;
  final ProcessSupervisor supervisor;
  final RunningKeycloak keycloak;
  final RunningService service;

  private LiveStack(
      RepositoryLayout repo,
      ProcessSupervisor supervisor,
      RunningKeycloak keycloak,
      RunningService service) {
    this.repo = repo;
    this.supervisor = supervisor;
    this.keycloak = keycloak;
    this.service = service;
  }

  static LiveStack start(Path runDir) throws DevStackException {
    return start(runDir, java.util.Map.of());
  }

  /** Starts the stack with extra service configuration (e.g. {@code arca.tpm.ek-roots}). */
  static LiveStack start(Path runDir, java.util.Map<String, String> serviceProperties)
      throws DevStackException {
    RepositoryLayout repo = RepositoryLayout.find(Path.of(""));
    ProcessSupervisor stack = ProcessSupervisor.create(runDir);
    try {
      RunningKeycloak kc =
          new KeycloakLauncher(KeycloakDistribution.locate(repo))
              .realm(repo.realmJson())
              .start(stack, ReadinessListener.NONE);
      ServiceProcess builder =
          ServiceProcess.builder(repo)
              .dataDirectory(runDir.resolve("service-data"))
              .issuer(kc.realmUrl())
              // The admin commands enrol software-attested (dev) devices: development only.
              .property("arca.formats.dev.enabled", "true");
      serviceProperties.forEach(builder::property);
      RunningService service = builder.start(stack, ReadinessListener.NONE);
      return new LiveStack(repo, stack, kc, service);
    } catch (DevStackException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  String serviceUrl() {
    return service.baseUrl().toString();
  }

  @Override
  public void close() {
    supervisor.close();
  }
}
