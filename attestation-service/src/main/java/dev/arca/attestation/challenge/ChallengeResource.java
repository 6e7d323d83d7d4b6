package dev.arca.attestation.challenge;

import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.storage.Database;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code POST /v1/challenges}: a fresh nonce for a device about to attest. No authentication. */
@Path("/v1/challenges")
@PermitAll
public class ChallengeResource {

  /** The answer: the nonce (base64url) and when it expires. */
  public record Challenge(String nonce, Instant expiresAt) {}

  @Inject ChallengeService challenges;
  @Inject Database db;
  @Inject AuditLog audit;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.challenge.audit", defaultValue = "true")
  boolean auditIssued;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Challenge issue() {
    Instant now = clock.instant();
    Nonce n = challenges.issue(now);
    if (auditIssued) {
      db.inTransaction(
          tx ->
              audit.append(
                  tx,
                  new AuditEvent(
                      "challenge.issued",
                      "anonymous",
                      "nonce:" + java.util.HexFormat.of().formatHex(n.id()),
                      "ok",
                      Map.of("expiresAt", n.expiresAt().toString())),
                  now));
    }
    return new Challenge(n.encoded(), n.expiresAt());
  }

  @Scheduled(every = "60s", delayed = "30s")
  void purge() {
    Instant now = clock.instant();
    db.inTransaction(tx -> challenges.purgeExpired(tx, now));
  }
}
