// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tracing is off by default: on the settings of a plain start (the test profile changes none of
 * tracing's), a span the service's tracer ends reaches no exporter, nor does a request's, even once
 * the SDK was told to flush what it holds.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class TracingOffTest {

  @Inject InMemorySpanExporter spans;
  @Inject Tracer tracer;
  @Inject OpenTelemetry telemetry;

  @Test
  void noSpanIsExportedByDefault() {
    DevDevice.challenge();
    tracer.spanBuilder("probe").startSpan().end();
    assertThat(telemetry).isInstanceOf(OpenTelemetrySdk.class);
    ((OpenTelemetrySdk) telemetry).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
