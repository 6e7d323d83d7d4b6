// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports in {@code /q/health/ready} whether the development-only {@code dev} format is on, so an
 * operator sees it on a production service before any device does.
 */
@Readiness
@ApplicationScoped
public class FormatsReadiness implements HealthCheck {
  @Inject DevFormat dev;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("evidence formats")
        .up()
        .withData(
            DevFormat.FORMAT,
            dev.enabled() ? "enabled (development only: software keys, no hardware)" : "disabled")
        .build();
  }
}
