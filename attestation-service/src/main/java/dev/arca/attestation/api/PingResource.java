// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** A trivial endpoint: the framework baseline that load benchmarks compare against. */
@Path("/v1/ping")
@PermitAll
public class PingResource {
  private static final Map<String, String> PONG = Map.of("status", "ok");

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> ping() {
    return PONG;
  }
}
