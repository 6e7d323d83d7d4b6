// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans the service exports, kept in memory for the tracing tests: Quarkus exports to every
 * span exporter bean ({@code quarkus.otel.traces.exporter=cdi}). With tracing off (the default)
 * nothing reaches it.
 */
@ApplicationScoped
public class RecordedSpans {
  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }
}
