// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.challenge;

import dev.arca.attestation.api.ClientAddress;
import dev.arca.attestation.api.RateLimits;
import dev.arca.attestation.storage.Database;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code POST /v1/challenges}: a fresh nonce for a device about to attest. No authentication, and
 * nothing is written: the nonce is stateless until an attestation redeems it, and that
 * attestation's audit entry names it. So an anonymous caller cannot grow the audit log by asking
 * for challenges. Limited per client address ({@code arca.rate-limit.challenges-per-address}).
 */
@Path("/v1/challenges")
@PermitAll
public class ChallengeResource {

  /** The answer: the nonce (base64url) and when it expires. */
  public record Challenge(String nonce, Instant expiresAt) {}

  @Inject ChallengeService challenges;
  @Inject RateLimits limits;
  @Inject Database db;
  @Inject Clock clock;

  @APIResponse(responseCode = "200", description = "A fresh nonce and its expiry")
  @APIResponse(
      responseCode = "429",
      description = "Over the rate limit; retry after Retry-After seconds")
  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Challenge issue(@Context HttpServerRequest http) {
    limits.challenge(ClientAddress.of(http));
    Nonce n = challenges.issue(clock.instant());
    return new Challenge(n.encoded(), n.expiresAt());
  }

  @Scheduled(every = "60s", delayed = "30s")
  void purge() {
    Instant now = clock.instant();
    db.inTransaction(tx -> challenges.purgeExpired(tx, now));
  }
}
