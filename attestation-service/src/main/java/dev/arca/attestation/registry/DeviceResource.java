// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.OpenApiTruth;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.storage.Json;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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

  /** The secret a device's TPM recovered from its enrolment credential (base64). */
  public record ActivationRequest(@NotBlank @Size(max = 256) String secret) {}

  /**
   * Enrols a device. The answer is the stored device; for a {@code tpm2} device it is {@code
   * pending} and the answer also carries {@code activation}: the credential ({@code idObject},
   * {@code encryptedSecret}) for the device's TPM to activate, and {@code expiresAt}.
   */
  @APIResponse(
      responseCode = "201",
      description = "Enrolled: the device (a tpm2 device pending, with its activation credential)")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(
      responseCode = "403",
      description = "The dev format is off, or the EK chain is not from a pinned root")
  @APIResponse(responseCode = "409", description = "The device is already enrolled")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @APIResponse(
      responseCode = "422",
      description = "tpm2: no EK root is pinned, or the AK is not a restricted signing key")
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response enrol(@Valid @NotNull EnrolRequest req) {
    Enrolment e =
        registry.enrol(
            req.id(),
            req.format(),
            req.enrolment(),
            req.attributes() == null ? Map.of() : req.attributes(),
            Caller.of(identity),
            clock.instant());
    ObjectNode body = Json.MAPPER.valueToTree(e.device());
    if (e.activation() != null) {
      ObjectNode a = body.putObject("activation");
      a.set("credential", e.activation().credential());
      a.put("expiresAt", e.activation().expiresAt().toString());
      a.put("activate", "/v1/devices/" + e.device().id() + "/activation");
    }
    return Response.created(URI.create("/v1/devices/" + e.device().id())).entity(body).build();
  }

  /**
   * Completes a pending enrolment with the secret the device's TPM recovered by
   * TPM2_ActivateCredential. No role needed: the secret is the proof (only the TPM holding the
   * enrolled EK and AK can recover it; 256 bits, single use, expiring, at most five tries), so a
   * device completes its own enrolment without holding an administrator's credentials.
   */
  @Extension(name = OpenApiTruth.AUTHORISED_BY, value = "the activation secret in the body")
  @APIResponse(responseCode = "200", description = "The device, now active")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(
      responseCode = "403",
      description = "A wrong secret, or the activation window has closed")
  @APIResponse(
      responseCode = "409",
      description = "No pending activation for this id (unknown, active or revoked alike)")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @POST
  @Path("{id}/activation")
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  public Device activate(@PathParam("id") String id, @Valid @NotNull ActivationRequest req) {
    byte[] secret = Base64Field.decode("secret", req.secret());
    try {
      String actor = identity.isAnonymous() ? "device:" + id : Caller.of(identity);
      return registry.activate(id, secret, actor, clock.instant());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  @APIResponse(responseCode = "200", description = "The devices")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @GET
  @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
  public List<Device> list(
      @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
    return registry.list(offset, limit);
  }

  @APIResponse(responseCode = "200", description = "The device")
  @APIResponse(responseCode = "404", description = "No such resource")
  @GET
  @Path("{id}")
  @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
  public Device get(@PathParam("id") String id) {
    return registry.find(id).orElseThrow(() -> DeviceRegistry.notFound(id));
  }

  @APIResponse(responseCode = "200", description = "The device with its new attributes")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(responseCode = "404", description = "No such resource")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @PUT
  @Path("{id}/attributes")
  @Consumes(MediaType.APPLICATION_JSON)
  public Device attributes(@PathParam("id") String id, @Valid @NotNull AttributesRequest req) {
    return registry.setAttributes(id, req.attributes(), Caller.of(identity), clock.instant());
  }

  @APIResponse(responseCode = "200", description = "The device, now revoked")
  @APIResponse(responseCode = "404", description = "No such resource")
  @POST
  @Path("{id}/revoke")
  public Device revoke(@PathParam("id") String id) {
    return registry.revoke(id, Caller.of(identity), clock.instant());
  }
}
