// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports in {@code /q/health/ready} whether the development-only {@code dev} format is on, so an
 * operator sees it on a production service before any device does, and which formats devices can
 * enrol with ({@code enrolment}).
 */
@Readiness
@ApplicationScoped
public class FormatsReadiness implements HealthCheck {
  @Inject DevFormat dev;
  @Inject Instance<DeviceEnrolment> enrolments;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("evidence formats")
        .up()
        .withData(
            DevFormat.FORMAT,
            dev.enabled() ? "enabled (development only: software keys, no hardware)" : "disabled")
        .withData("enrolment", String.join(", ", enrollable()))
        .build();
  }

  private List<String> enrollable() {
    List<String> formats = new ArrayList<>();
    for (DeviceEnrolment e : enrolments) {
      if (!DevFormat.FORMAT.equals(e.format()) || dev.enabled()) {
        formats.add(e.format());
      }
    }
    Collections.sort(formats);
    return formats;
  }
}
