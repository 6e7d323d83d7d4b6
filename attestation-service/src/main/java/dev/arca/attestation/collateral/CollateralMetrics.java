// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Gauges of the current collateral items, for alerting ({@code /q/metrics}): {@code
 * arca_collateral_expired} (past their notAfter / nextUpdate) and {@code arca_collateral_expiring}
 * (within {@code arca.collateral.expiry-warning}). Read from the store at each scrape; NaN when it
 * cannot be read.
 */
@Startup
@ApplicationScoped
public class CollateralMetrics {
  private static final Logger LOG = Logger.getLogger(CollateralMetrics.class);

  @Inject MeterRegistry meters;
  @Inject CollateralStore store;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.collateral.expiry-warning", defaultValue = "P30D")
  Duration warning;

  @PostConstruct
  void register() {
    Gauge.builder("arca.collateral.expired", this, m -> m.count(false))
        .description("Current collateral items past their notAfter or nextUpdate")
        .register(meters);
    Gauge.builder("arca.collateral.expiring", this, m -> m.count(true))
        .description("Current collateral items that expire within arca.collateral.expiry-warning")
        .register(meters);
  }

  private double count(boolean expiring) {
    try {
      Instant now = clock.instant();
      List<CollateralItem> current = store.current(now);
      return current.stream()
          .filter(
              i ->
                  expiring ? !i.expired() && i.notAfter().isBefore(now.plus(warning)) : i.expired())
          .count();
    } catch (RuntimeException e) {
      LOG.warnf("collateral gauges: the store cannot be read: %s", e.getMessage());
      return Double.NaN;
    }
  }
}
