package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Device registry API ({@code device-admin}; reads also {@code auditor}). */
@Path("/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DEVICE_ADMIN)
public class DeviceResource {

  /** Enrolment request; {@code enrolment} is format-specific (dev: {@code {"publicKey": b64}}). */
  public record EnrolRequest(
      @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+") String id,
      @NotBlank @Size(max = 32) String format,
      @NotNull JsonNode enrolment,
      @Size(max = 64) Map<String, String> attributes) {}

  /** New attributes (replace the old ones). */
  public record AttributesRequest(@NotNull @Size(max = 64) Map<String, String> attributes) {}

  @Inject DeviceRegistry registry;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response enrol(@Valid @NotNull EnrolRequest req) {
    Device d =
        registry.enrol(
            req.id(),
            req.format(),
            req.enrolment(),
            req.attributes() == null ? Map.of() : req.attributes(),
            Caller.of(identity),
            clock.instant());
    return Response.created(URI.create("/v1/devices/" + d.id())).entity(d).build();
  }

  @GET
  @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
  public List<Device> list(
      @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
    return registry.list(offset, limit);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
  public Device get(@PathParam("id") String id) {
    return registry.find(id).orElseThrow(() -> DeviceRegistry.notFound(id));
  }

  @PUT
  @Path("{id}/attributes")
  @Consumes(MediaType.APPLICATION_JSON)
  public Device attributes(@PathParam("id") String id, @Valid @NotNull AttributesRequest req) {
    return registry.setAttributes(id, req.attributes(), Caller.of(identity), clock.instant());
  }

  @POST
  @Path("{id}/revoke")
  public Device revoke(@PathParam("id") String id) {
    return registry.revoke(id, Caller.of(identity), clock.instant());
  }
}
