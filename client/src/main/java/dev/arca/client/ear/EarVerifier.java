// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.ear;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Verifies EAR attestation results (draft-ietf-rats-ear-04, JWT) from an Arca attestation service
 * against its published JWKS: ES256 only (no {@code none}, no HMAC: algorithm confusion is
 * refused), a key from the set by {@code kid}, the expected issuer, the EAR profile ({@code
 * eat_profile}), the expected audience ({@code aud}) when the application names one, {@code
 * exp}/{@code iat} at the given time with 30 s of clock skew, and every component's status other
 * than contraindicated. Thread-safe.
 */
public final class EarVerifier {
  /** The EAT profile of EAR (draft-ietf-rats-ear-04), which every token must declare. */
  public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";

  /** The unregistered extension listing what the runtime may serve, keyed by model id. */
  public static final String GRANTS_CLAIM = "dev.arca.grants";

  private static final int CLOCK_SKEW_SECONDS = 30;

  private final JsonWebKeySet jwks;
  private final String issuer;
  private final String audience;

  private EarVerifier(JsonWebKeySet jwks, String issuer, String audience) {
    this.jwks = jwks;
    this.issuer = issuer;
    this.audience = audience;
  }

  /**
   * A verifier trusting the keys in {@code jwksJson} (the service's {@code /.well-known/jwks.json})
   * for tokens from {@code issuer}.
   *
   * @throws EarException {@link EarException#MALFORMED} if the set does not parse
   */
  public static EarVerifier of(String jwksJson, String issuer) throws EarException {
    return of(jwksJson, issuer, null);
  }

  /**
   * A verifier as {@link #of(String, String)} that also requires {@code audience} among the token's
   * {@code aud} (the service's {@code arca.token.audience}, by default {@code arca-applications});
   * {@code null} checks no audience.
   *
   * @throws EarException {@link EarException#MALFORMED} if the set does not parse
   */
  public static EarVerifier of(String jwksJson, String issuer, String audience)
      throws EarException {
    try {
      return new EarVerifier(new JsonWebKeySet(jwksJson), issuer, audience);
    } catch (JoseException e) {
      throw new EarException(EarException.MALFORMED, "the service's JWKS does not parse", e);
    }
  }

  /**
   * Verifies {@code token} at {@code now}.
   *
   * @throws EarException naming the first check that failed
   */
  public VerifiedEar verify(String token, Instant now) throws EarException {
    JwtConsumerBuilder builder =
        new JwtConsumerBuilder()
            .setJwsAlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT,
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
            .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
            .setRequireExpirationTime()
            .setRequireIssuedAt()
            .setRequireSubject()
            .setExpectedIssuer(issuer)
            .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
            .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()));
    if (audience == null) {
      builder.setSkipDefaultAudienceValidation();
    } else {
      builder.setExpectedAudience(true, audience);
    }
    JwtConsumer consumer = builder.build();
    JwtClaims claims;
    try {
      claims = consumer.processToClaims(token);
    } catch (InvalidJwtException e) {
      throw classify(e);
    }
    try {
      if (!EAR_PROFILE.equals(claims.getClaimValue("eat_profile"))) {
        throw new EarException(
            EarException.MALFORMED,
            "the token's eat_profile is "
                + claims.getClaimValue("eat_profile")
                + ", not the EAR profile "
                + EAR_PROFILE);
      }
      NumericDate iat = claims.getIssuedAt();
      if (iat.getValue() > now.getEpochSecond() + CLOCK_SKEW_SECONDS) {
        throw new EarException(EarException.EXPIRED, "the token is issued in the future");
      }
      Map<String, String> statuses = new LinkedHashMap<>();
      Map<String, String> policies = new LinkedHashMap<>();
      // A JSON object's keys are strings, so the raw Map from jose4j holds String keys.
      @SuppressWarnings("unchecked")
      Map<String, Object> submods = claims.getClaimValue("submods", Map.class);
      if (submods == null || submods.isEmpty()) {
        throw new EarException(EarException.MALFORMED, "the token has no appraised components");
      }
      for (Map.Entry<String, Object> e : submods.entrySet()) {
        Map<?, ?> sub = asMap(e.getValue(), "submods." + e.getKey());
        Object status = sub.get("ear.status");
        if (!(status instanceof String string) || "contraindicated".equals(status)) {
          throw new EarException(
              EarException.STATUS,
              "component '" + e.getKey() + "' is " + status + "; do not send it data");
        }
        statuses.put(e.getKey(), string);
        Object policy = sub.get("ear.appraisal-policy-id");
        if (policy instanceof String policyId) {
          policies.put(e.getKey(), policyId);
        }
      }
      return new VerifiedEar(
          claims.getSubject(),
          runtimeKey(claims),
          statuses,
          policies,
          grants(claims),
          Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
    } catch (MalformedClaimException | ClassCastException e) {
      throw new EarException(EarException.MALFORMED, "a claim has the wrong type: " + e, e);
    }
  }

  private static EarException classify(InvalidJwtException e) {
    if (e.hasExpired()) {
      return new EarException(EarException.EXPIRED, "the token has expired; ask the runtime again");
    }
    if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)
        || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
      return new EarException(
          EarException.AUDIENCE,
          "the token is meant for another audience than this application; do not trust it");
    }
    if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
      return new EarException(
          EarException.ISSUER, "the token comes from another issuer than the trusted service");
    }
    if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)
        || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)
        || e.getCause() instanceof org.jose4j.lang.UnresolvableKeyException
        || String.valueOf(e.getMessage()).contains("AlgorithmConstraints")
        || String.valueOf(e.getMessage()).contains("not permitted")) {
      return new EarException(
          EarException.SIGNATURE,
          "the token is not signed ES256 by a key the service publishes; do not trust it",
          e);
    }
    return new EarException(
        EarException.MALFORMED, "the token is not a valid EAR JWT: " + e.getErrorDetails(), e);
  }

  private static byte[] runtimeKey(JwtClaims claims) throws EarException, MalformedClaimException {
    Map<?, ?> cnf = asMap(claims.getClaimValue("cnf"), "cnf");
    Map<?, ?> jwk = asMap(cnf.get("jwk"), "cnf.jwk");
    if (!"OKP".equals(jwk.get("kty")) || !"X25519".equals(jwk.get("crv"))) {
      throw new EarException(EarException.MALFORMED, "cnf.jwk is not an X25519 key");
    }
    try {
      byte[] x = Base64.getUrlDecoder().decode(String.valueOf(jwk.get("x")));
      if (x.length != 32) {
        throw new EarException(EarException.MALFORMED, "cnf.jwk.x is not 32 bytes");
      }
      return x;
    } catch (IllegalArgumentException e) {
      throw new EarException(EarException.MALFORMED, "cnf.jwk.x is not base64url");
    }
  }

  /** {@link #GRANTS_CLAIM}: {@code {"<model>": [{"version": n, "dataClasses": [...]}, ...]}}. */
  private static List<VerifiedEar.Grant> grants(JwtClaims claims) throws EarException {
    List<VerifiedEar.Grant> out = new ArrayList<>();
    Object value = claims.getClaimValue(GRANTS_CLAIM);
    if (value == null) {
      return out;
    }
    for (Map.Entry<?, ?> model : asMap(value, GRANTS_CLAIM).entrySet()) {
      String name = GRANTS_CLAIM + "." + model.getKey();
      if (!(model.getValue() instanceof List<?> versions)) {
        throw new EarException(EarException.MALFORMED, name + " is not a list of versions");
      }
      for (Object o : versions) {
        Map<?, ?> g = asMap(o, name + "[]");
        if (!(g.get("version") instanceof Number v)
            || !(g.get("dataClasses") instanceof List<?> l)) {
          throw new EarException(EarException.MALFORMED, name + "[] needs version and dataClasses");
        }
        List<String> classes = new ArrayList<>();
        l.forEach(c -> classes.add(String.valueOf(c)));
        out.add(new VerifiedEar.Grant(String.valueOf(model.getKey()), v.longValue(), classes));
      }
    }
    return out;
  }

  private static Map<?, ?> asMap(Object o, String name) throws EarException {
    if (!(o instanceof Map<?, ?> m)) {
      throw new EarException(EarException.MALFORMED, name + " is missing or not an object");
    }
    return m;
  }
}
