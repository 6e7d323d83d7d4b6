// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Policies API ({@code policy-admin}; reads also {@code auditor}). Upload the YAML document as
 * {@code application/yaml} (or {@code text/plain}); its name and version come from the document.
 */
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.POLICY_ADMIN)
public class PolicyResource {

  @Inject PolicyRegistry registry;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  @APIResponse(responseCode = "201", description = "The stored policy version")
  @APIResponse(responseCode = "409", description = "The policy version exists")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @APIResponse(responseCode = "422", description = "The policy does not compile (problems[])")
  @POST
  @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
  public Response upload(String document) {
    if (document == null || document.isBlank()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "the policy document is empty");
    }
    return Response.status(201)
        .entity(registry.upload(document, Caller.of(identity), clock.instant()))
        .build();
  }

  @GET
  @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
  public List<PolicyVersion> list() {
    return registry.list();
  }

  @GET
  @Path("{name}/versions")
  @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
  public List<PolicyVersion> versions(@PathParam("name") String name) {
    List<PolicyVersion> v = registry.versions(name);
    if (v.isEmpty()) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no policy '" + name + "'");
    }
    return v;
  }

  @APIResponse(responseCode = "200", description = "The policy document (YAML)")
  @APIResponse(responseCode = "404", description = "No such resource")
  @GET
  @Path("{name}/versions/{version}")
  @Produces("application/yaml")
  @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
  public String document(@PathParam("name") String name, @PathParam("version") long version) {
    return registry
        .document(name, version)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.NOT_FOUND, "no policy " + name + " version " + version));
  }

  @APIResponse(responseCode = "200", description = "The policy version, now active")
  @APIResponse(responseCode = "404", description = "No such resource")
  @POST
  @Path("{name}/versions/{version}/activate")
  public PolicyVersion activate(
      @PathParam("name") String name, @PathParam("version") long version) {
    return registry.activate(name, version, Caller.of(identity), clock.instant());
  }
}
