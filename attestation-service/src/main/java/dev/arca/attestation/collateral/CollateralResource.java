// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.storage.Json;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Vendor collateral API ({@code device-admin}; reads also {@code auditor}). */
@Path("/v1/collateral")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DEVICE_ADMIN)
public class CollateralResource {

  /** One collateral file: its evidence format, its file name (which tells its kind), base64. */
  public record ImportRequest(
      @NotBlank @Size(max = 16) String format,
      @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
      @NotBlank String content) {}

  @Inject CollateralStore store;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  /**
   * Stores one collateral file. The answer is the stored item and {@code alreadyPresent}: 201 when
   * it is new, 200 when the same content was stored before (nothing changes).
   */
  @APIResponse(responseCode = "201", description = "Stored: the new item")
  @APIResponse(
      responseCode = "200",
      description = "The same content is stored already: that item, unchanged")
  @APIResponse(
      responseCode = "400",
      description =
          "The request is malformed, the format has no collateral, or the file is not collateral"
              + " this service accepts (collateral-invalid, naming what is accepted)")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response importFile(@Valid @NotNull ImportRequest req) {
    byte[] content = Base64Field.decode("content", req.content());
    CollateralStore.Imported imported =
        store.importFile(req.format(), req.name(), content, Caller.of(identity), clock.instant());
    ObjectNode body = Json.MAPPER.valueToTree(imported.item());
    body.put("alreadyPresent", imported.alreadyPresent());
    return Response.status(imported.alreadyPresent() ? 200 : 201).entity(body).build();
  }

  @APIResponse(responseCode = "200", description = "Every stored item, current and superseded")
  @GET
  @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
  public List<CollateralItem> list() {
    return store.list(clock.instant());
  }
}
