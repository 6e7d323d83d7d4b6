// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.events;

import dev.arca.attestation.api.Identifiers;
import dev.arca.attestation.api.OpenApiTruth;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code GET /v1/devices/{id}/events}: a runtime's long poll for what it must act on (see {@link
 * DeviceEvents}), so an update or a revocation reaches an online device within seconds without an
 * inbound port on it. Authorised by the device's own EAR token ({@code Authorization: Bearer}), so
 * only a device that attested recently learns of its models' versions.
 *
 * <p>Without {@code after}, answers at once with no events and {@code next} = the log's newest
 * index: where the runtime listens from. With {@code after}, answers as soon as there are events
 * past it, or after {@code wait} seconds (at most 25) with none. Each waiting runtime holds one
 * worker thread of the service for up to {@code wait} seconds.
 */
@Path("/v1/devices/{id}/events")
@PermitAll
public class DeviceEventsResource {
  /** The longest a poll waits, below common idle timeouts of proxies (30 s and up). */
  static final int MAX_WAIT_SECONDS = 25;

  /** The most models one poll may name (a runtime serves a handful). */
  static final int MAX_MODELS = 64;

  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  @Inject EarTokens tokens;
  @Inject DeviceEvents events;

  /** The answer: events past {@code after} (oldest first) and where to ask from next. */
  public record Answer(List<DeviceEvents.Event> events, long next) {}

  @APIResponse(responseCode = "200", description = "Events past 'after', or none after 'wait'")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(responseCode = "401", description = "No current EAR token of this device")
  @APIResponse(responseCode = "403", description = "The token is another device's")
  @SecurityRequirement(name = OpenApiTruth.EAR_SCHEME)
  @GET
  @Blocking
  @Produces(MediaType.APPLICATION_JSON)
  public Answer poll(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("after") Long after,
      @QueryParam("wait") Integer wait,
      @QueryParam("model") List<String> models)
      throws InterruptedException {
    EarTokens.Verified token = tokens.verifyFor(authorization, id);
    int seconds = wait == null ? MAX_WAIT_SECONDS : wait;
    if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "wait must be 0 to " + MAX_WAIT_SECONDS + " seconds");
    }
    if (after == null) {
      return new Answer(List.of(), events.head());
    }
    Set<String> watched = new LinkedHashSet<>(token.grantedModels());
    if (models != null) {
      if (models.size() > MAX_MODELS) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "at most " + MAX_MODELS + " 'model' parameters");
      }
      for (String m : models) {
        watched.add(Identifiers.requireName("model", m));
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (true) {
      List<DeviceEvents.Event> found = events.after(id, watched, after);
      if (!found.isEmpty()) {
        return new Answer(found, found.get(found.size() - 1).index());
      }
      if (System.nanoTime() >= deadline) {
        return new Answer(List.of(), after);
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }
}
