// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Identifiers;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Reference values API ({@code policy-admin}; reads also {@code auditor}). */
@Path("/v1/reference-values")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.POLICY_ADMIN)
public class ReferenceValueResource {

  /** A new version of a reference-value set. */
  public record PutRequest(
      @NotBlank @Size(max = 32) String format,
      @NotBlank @Size(max = 160) String subject,
      @NotNull @Size(min = 1, max = 256) Map<String, List<String>> measurements) {}

  @Inject ReferenceValueRegistry registry;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  @APIResponse(responseCode = "201", description = "The new version of the reference-value set")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @POST
  @Path("{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response put(@PathParam("name") String name, @Valid @NotNull PutRequest req) {
    Identifiers.requireName("reference-value set name", name);
    return Response.status(201)
        .entity(
            registry.put(
                name,
                req.format(),
                req.subject(),
                req.measurements(),
                Caller.of(identity),
                clock.instant()))
        .build();
  }

  @GET
  @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
  public List<ReferenceValues> list() {
    return registry.latestAll();
  }

  @GET
  @Path("{name}/versions")
  @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
  public List<ReferenceValues> versions(@PathParam("name") String name) {
    List<ReferenceValues> v = registry.versions(name);
    if (v.isEmpty()) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no reference values '" + name + "'");
    }
    return v;
  }
}
