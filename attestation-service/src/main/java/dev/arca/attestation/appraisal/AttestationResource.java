package dev.arca.attestation.appraisal;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /v1/attestations}: devices authenticate by their evidence, not by a token. */
@Path("/v1/attestations")
@PermitAll
public class AttestationResource {
  @Inject AttestationService service;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public AttestationResult attest(@Valid @NotNull AttestationRequest req) {
    return service.attest(req);
  }
}
