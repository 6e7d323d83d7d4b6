// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/** {@code GET /.well-known/jwks.json}: the keys that verify EAR tokens, retired ones included. */
@Path("/.well-known/jwks.json")
@PermitAll
public class JwksResource {
  @Inject SigningKeys keys;

  @GET
  @Produces("application/jwk-set+json")
  public Response jwks() {
    CacheControl cc = new CacheControl();
    cc.setMaxAge(60);
    return Response.ok(keys.jwksJson()).cacheControl(cc).build();
  }
}
