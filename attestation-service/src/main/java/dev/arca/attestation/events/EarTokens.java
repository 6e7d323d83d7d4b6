// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.events;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.token.EarIssuer;
import dev.arca.attestation.token.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Reads an EAR token this service issued ({@link EarIssuer}) back: ES256 under one of its current
 * signing keys (the JWKS it publishes), its issuer and audience, unexpired at the service's clock.
 * What a runtime presents to ask for its device's events: the token proves a recent successful
 * attestation of that device, and names it in {@code sub}.
 */
@ApplicationScoped
public class EarTokens {
  @Inject SigningKeys keys;
  @Inject EarIssuer issued;
  @Inject Clock clock;

  /** A verified token: the device it names and the models it grants. */
  public record Verified(String deviceId, java.util.Set<String> grantedModels) {}

  /**
   * Verifies {@code authorization} ({@code Bearer <EAR>}).
   *
   * @throws ProblemException {@code unauthorized} when there is no token, or it is not one of this
   *     service's current, unexpired EAR tokens
   */
  public Verified verify(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw unauthorized("send the runtime's EAR token as 'Authorization: Bearer <token>'");
    }
    try {
      JwtClaims claims =
          new JwtConsumerBuilder()
              .setVerificationKeyResolver(
                  new JwksVerificationKeyResolver(
                      new JsonWebKeySet(keys.jwksJson()).getJsonWebKeys()))
              .setJwsAlgorithmConstraints(
                  AlgorithmConstraints.ConstraintType.PERMIT,
                  AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
              .setRequireExpirationTime()
              .setRequireSubject()
              .setExpectedIssuer(issued.issuer())
              .setExpectedAudience(issued.audience())
              .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
              .build()
              .processToClaims(authorization.substring("Bearer ".length()).trim());
      Object grants = claims.getClaimValue(EarIssuer.GRANTS_CLAIM);
      java.util.Set<String> models =
          grants instanceof Map<?, ?> m
              ? m.keySet().stream()
                  .map(String::valueOf)
                  .collect(java.util.stream.Collectors.toSet())
              : java.util.Set.of();
      return new Verified(claims.getSubject(), models);
    } catch (InvalidJwtException e) {
      throw unauthorized(
          "the token is not a current EAR token of this service"
              + (e.hasExpired() ? " (it has expired: attest again)" : ""));
    } catch (JoseException | org.jose4j.jwt.MalformedClaimException e) {
      throw unauthorized("the token is not a current EAR token of this service");
    }
  }

  /**
   * Verifies {@code authorization} as {@link #verify} does, and that it names {@code deviceId}.
   *
   * @throws ProblemException {@code forbidden} when the token is another device's
   */
  public Verified verifyFor(String authorization, String deviceId) {
    Verified token = verify(authorization);
    // The id is only compared with the token's subject (device ids may hold ':' and '/').
    if (!token.deviceId().equals(deviceId)) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "the token is device " + token.deviceId() + "'s, not " + deviceId + "'s");
    }
    return token;
  }

  private static ProblemException unauthorized(String detail) {
    return new ProblemException(ProblemType.UNAUTHORIZED, detail);
  }
}
