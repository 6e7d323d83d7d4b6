// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.storage.Database;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Map;

/** {@code POST /v1/signing-keys/rotate} ({@code policy-admin}): retire the token key now. */
@Path("/v1/signing-keys/rotate")
@RolesAllowed(Roles.POLICY_ADMIN)
public class SigningKeyResource {
  @Inject SigningKeys keys;
  @Inject Database db;
  @Inject AuditLog audit;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> rotate() {
    String kid = keys.rotateNow();
    db.inTransaction(
        tx ->
            audit.append(
                tx,
                new AuditEvent(
                    "signing-key.rotated",
                    Caller.of(identity),
                    "signing-key:" + kid,
                    "ok",
                    Map.of()),
                clock.instant()));
    return Map.of("kid", kid);
  }
}
