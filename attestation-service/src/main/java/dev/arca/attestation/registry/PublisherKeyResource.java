// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.Caller;
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
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Trusted publisher keys: which signers' sealed packages the service accepts. Changing trust needs
 * {@code policy-admin}; publishers and auditors may read.
 */
@Path("/v1/publisher-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.POLICY_ADMIN)
public class PublisherKeyResource {

  /** A key as in a publisher key ring: {@code publicKey} is base64url of the encoded key. */
  public record AddRequest(
      @NotBlank @Size(max = 128) String keyId,
      @NotBlank @Size(max = 32) String algorithm,
      @NotBlank @Size(max = 512) String publicKey) {}

  @Inject PublisherKeyRegistry registry;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  @APIResponse(responseCode = "201", description = "The trusted publisher key")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(responseCode = "409", description = "A key with this id exists")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response add(@Valid @NotNull AddRequest req) {
    PublisherKey k =
        registry.add(
            req.keyId(),
            req.algorithm(),
            Base64Field.decode("publicKey", req.publicKey()),
            Caller.of(identity),
            clock.instant());
    return Response.created(URI.create("/v1/publisher-keys/" + k.keyId())).entity(k).build();
  }

  @GET
  @RolesAllowed({Roles.POLICY_ADMIN, Roles.MODEL_PUBLISHER, Roles.AUDITOR})
  public List<PublisherKey> list() {
    return registry.list();
  }

  @APIResponse(responseCode = "200", description = "The publisher key, now revoked")
  @APIResponse(responseCode = "404", description = "No such resource")
  @POST
  @Path("{keyId}/revoke")
  public PublisherKey revoke(@PathParam("keyId") String keyId) {
    return registry.revoke(keyId, Caller.of(identity), clock.instant());
  }
}
