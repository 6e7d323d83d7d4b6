// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.attestation.api.ClientAddress;
import dev.arca.attestation.api.RateLimits;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code POST /v1/attestations}: devices authenticate by their evidence, not by a token. Limited
 * per client address and per device id ({@code arca.rate-limit.attestations-per-*}) before the
 * appraisal starts.
 */
@Path("/v1/attestations")
@PermitAll
public class AttestationResource {
  @Inject AttestationService service;
  @Inject RateLimits limits;

  @APIResponse(
      responseCode = "200",
      description = "Appraised: the EAR token, grants and denials, and the audit receipt")
  @APIResponse(
      responseCode = "400",
      description = "Malformed input, or a nonce this service did not issue or that expired")
  @APIResponse(
      responseCode = "403",
      description =
          "Refused: evidence, device, enrolment, references or policy (the problem type says which)")
  @APIResponse(
      responseCode = "409",
      description = "The nonce was already used, or the stored enrolment is unusable")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @APIResponse(
      responseCode = "429",
      description = "Over a rate limit; retry after Retry-After seconds")
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public AttestationResult attest(
      @Valid @NotNull AttestationRequest req, @Context HttpServerRequest http) {
    limits.attestation(ClientAddress.of(http), req.deviceId());
    return service.attest(req);
  }
}
