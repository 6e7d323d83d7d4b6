// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports in {@code /q/health} (check {@code collateral}) the current collateral items that have
 * expired or expire within {@code arca.collateral.expiry-warning} (default 30 days), so an operator
 * uploads fresh ones before appraisals of those devices start failing. Always UP: expired
 * collateral fails the appraisals that need it (the verifier says which; an expired SEV-SNP TCB
 * baseline instead leaves the TCB status unknown, which policies requiring up to date refuse), not
 * the service, which still serves every other device, the audit log and the admin API.
 */
@Readiness
@ApplicationScoped
public class CollateralHealth implements HealthCheck {
  @Inject CollateralStore store;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.collateral.expiry-warning", defaultValue = "P30D")
  Duration warning;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("collateral").up();
    try {
      Instant now = clock.instant();
      List<CollateralItem> current = store.current(now);
      List<CollateralItem> expired = current.stream().filter(CollateralItem::expired).toList();
      List<CollateralItem> expiring =
          current.stream()
              .filter(i -> !i.expired() && i.notAfter().isBefore(now.plus(warning)))
              .toList();
      b.withData("current", current.size())
          .withData("expired", expired.size())
          .withData("expiring", expiring.size());
      if (!expired.isEmpty()) {
        b.withData("expiredItems", describe(expired));
      }
      if (!expiring.isEmpty()) {
        b.withData("expiringItems", describe(expiring));
      }
    } catch (RuntimeException e) {
      b.withData("error", "collateral cannot be read: " + e.getMessage());
    }
    return b.build();
  }

  private static String describe(List<CollateralItem> items) {
    return String.join(
        "; ",
        items.stream()
            .map(
                i ->
                    i.format()
                        + " "
                        + i.kind()
                        + " "
                        + i.key()
                        + " (not after "
                        + i.notAfter()
                        + ")")
            .toList());
  }
}
