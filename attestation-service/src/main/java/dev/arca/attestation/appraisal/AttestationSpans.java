// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Tracing spans for the steps of an attestation, children of the request's span (OpenTelemetry).
 * Tracing is off unless {@code quarkus.otel.sdk.disabled=false}; while off, no span leaves the
 * process. The runtime sends one trace id with its challenge and its attestation, so a trace shows
 * both requests and these steps. These spans carry their names only: no device, key or model data.
 */
@ApplicationScoped
public class AttestationSpans {

  /** A step's work. */
  @FunctionalInterface
  interface Work<T, E extends Exception> {
    T get() throws E;
  }

  @Inject Tracer tracer;

  /** Runs {@code work} as the span {@code name}, current while it runs. */
  <T, E extends Exception> T in(String name, Work<T, E> work) throws E {
    Span span = tracer.spanBuilder(name).startSpan();
    Scope scope = span.makeCurrent();
    try {
      return work.get();
    } finally {
      scope.close();
      span.end();
    }
  }
}
