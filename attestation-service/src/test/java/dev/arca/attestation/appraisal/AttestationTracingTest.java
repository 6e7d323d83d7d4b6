// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.evidence.ReportData;
import dev.arca.runtime.service.ServiceClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, one attestation by the device runtime's own client is one trace: the challenge
 * request, the attestation request, and within the latter the appraisal, the grant, the audit
 * append and the token, in that order. Its own Quarkus start with tracing on, the spans kept in
 * memory ({@code RecordedSpans}); {@code TracingOffTest} checks the default.
 */
@QuarkusTest
@TestProfile(AttestationTracingTest.TracingOn.class)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AttestationTracingTest {

  /** Tracing on. */
  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.otel.sdk.disabled", "false");
    }
  }

  static final List<String> STEPS =
      List.of("arca.appraise", "arca.grant", "arca.audit.append", "arca.token");

  @Inject InMemorySpanExporter spans;

  @Test
  void oneAttestationIsOneTraceFromTheChallengeToTheToken() throws Exception {
    TestModels.activatePolicyAndPublish("traced-model");
    DevDevice device = new DevDevice("traced-device");
    device.enrol(Map.of());
    ServiceClient client = new ServiceClient(URI.create("http://localhost:" + RestAssured.port));

    ServiceClient.Challenge challenge = client.challenge();
    byte[] reportData =
        ReportData.ofLog(challenge.nonce(), device.runtimePublicKey(), device.measurementLog, null);
    ServiceClient.Attestation attested =
        client.attest(
            device.id,
            "dev",
            device.attester.attest(reportData, device.measurements, Instant.now()),
            challenge,
            device.runtimePublicKey(),
            null,
            device.measurementLog,
            List.of(new ServiceClient.ModelRequest("traced-model", "synthetic")));
    assertThat(attested.grants()).hasSize(1);

    List<SpanData> trace = awaitTrace(challenge.trace().traceId());
    SpanData challengeRequest = server(trace, "/v1/challenges").orElseThrow();
    SpanData attestRequest = server(trace, "/v1/attestations").orElseThrow();
    assertThat(challengeRequest.getSpanId()).isNotEqualTo(attestRequest.getSpanId());
    List<SpanData> steps =
        trace.stream()
            .filter(s -> STEPS.contains(s.getName()))
            .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
            .toList();
    assertThat(steps).extracting(SpanData::getName).containsExactlyElementsOf(STEPS);
    assertThat(steps)
        .as("every step inside the attestation request")
        .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(attestRequest.getSpanId()));
  }

  /** The spans of {@code traceId}, once the attestation request's own span has ended. */
  private List<SpanData> awaitTrace(String traceId) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    List<SpanData> trace = List.of();
    while (System.nanoTime() < deadline) {
      trace =
          spans.getFinishedSpanItems().stream()
              .filter(s -> s.getTraceId().equals(traceId))
              .toList();
      if (server(trace, "/v1/attestations").isPresent()) {
        return trace;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no span of POST /v1/attestations in trace "
            + traceId
            + "; spans exported: "
            + spans.getFinishedSpanItems().stream()
                .map(s -> s.getTraceId() + " " + s.getName())
                .collect(Collectors.joining(", ")));
  }

  private static Optional<SpanData> server(List<SpanData> trace, String path) {
    return trace.stream()
        .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER)
        .filter(s -> s.getName().endsWith(path))
        .findFirst();
  }
}
