// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.registry.ModelRegistry;
import dev.arca.attestation.registry.ModelVersion;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Model versions for publishers (read also by auditors): data classes, signed labels, state and
 * revocation; revoking a version after a confirmation, for {@code model-publisher}.
 */
@Path("/console/models")
@RolesAllowed({Roles.MODEL_PUBLISHER, Roles.AUDITOR})
@Produces(MediaType.TEXT_HTML)
public class ModelConsole {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance list(List<ModelVersion> versions, String revoked);

    static native TemplateInstance revoke(ModelVersion version);
  }

  @Inject ModelRegistry registry;
  @Inject SecurityIdentity identity;
  @Inject ConsoleSession session;
  @Inject Clock clock;

  /** Every version of every model, newest model versions first per model. */
  @GET
  @Operation(hidden = true)
  public TemplateInstance list(@QueryParam("revoked") String revoked) {
    List<ModelVersion> all = new ArrayList<>();
    for (ModelVersion latest : registry.latestAll()) {
      List<ModelVersion> versions = new ArrayList<>(registry.versions(latest.modelId()));
      versions.sort((a, b) -> Long.compare(b.version(), a.version()));
      all.addAll(versions);
    }
    // Said only when true: the link after a revocation cannot be made to claim another.
    boolean isRevoked =
        all.stream()
            .anyMatch(v -> v.revoked() && (v.modelId() + "@" + v.version()).equals(revoked));
    return Templates.list(all, isRevoked ? revoked : null);
  }

  /** What revoking a version does, and the button that does it. */
  @GET
  @Path("{id}/{version: [0-9]+}/revoke")
  @RolesAllowed(Roles.MODEL_PUBLISHER)
  @Operation(hidden = true)
  public TemplateInstance confirm(@PathParam("id") String id, @PathParam("version") long version) {
    return Templates.revoke(
        registry.find(id, version).orElseThrow(() -> ModelRegistry.notFound(id, version)));
  }

  @POST
  @Path("{id}/{version: [0-9]+}/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RolesAllowed(Roles.MODEL_PUBLISHER)
  @Operation(hidden = true)
  public Response revoke(
      @PathParam("id") String id,
      @PathParam("version") long version,
      @FormParam(ConsoleSession.FORM_TOKEN) String token) {
    session.requireFormToken(token);
    registry.revoke(id, version, Caller.of(identity), clock.instant());
    return Response.seeOther(
            UriBuilder.fromPath("/console/models")
                .queryParam("revoked", id + "@" + version)
                .build())
        .build();
  }
}
