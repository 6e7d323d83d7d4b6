// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.ear;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * EAR tokens made the way the attestation service makes them (ES256, kid, eat_profile, aud, cnf,
 * submods, the dev.arca.grants map).
 */
public final class TestTokens {
  private TestTokens() {}

  public static final String ISSUER = "arca-attestation-service";
  public static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");
  public static final String AUDIENCE = "arca-applications";

  // Test fixture (an all-zero key) that no test writes; shared by several test classes.
  @SuppressWarnings("MutablePublicArray")
  public static final byte[] RUNTIME_KEY = new byte[32];

  public static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String jwks(KeyPair kp, String kid) {
    try {
      EllipticCurveJsonWebKey jwk =
          (EllipticCurveJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(kp.getPublic());
      jwk.setKeyId(kid);
      return new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static JwtClaims claims(String issuer, Instant exp, String status) {
    JwtClaims c = new JwtClaims();
    c.setIssuer(issuer);
    c.setSubject("device-1");
    c.setAudience(AUDIENCE);
    c.setClaim("eat_profile", "tag:github.com,2023:veraison/ear");
    c.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond() - 10));
    c.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
    c.setClaim(
        "submods",
        Map.of("tpm2", Map.of("ear.status", status, "ear.appraisal-policy-id", "phi@3")));
    bindRuntimeKey(c, RUNTIME_KEY);
    c.setClaim(
        "dev.arca.grants",
        Map.of("triage", List.of(Map.of("version", 3, "dataClasses", List.of("phi")))));
    return c;
  }

  public static String es256(KeyPair kp, String kid, JwtClaims c) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(c.toJson());
    jws.setKey(kp.getPrivate());
    jws.setKeyIdHeaderValue(kid);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    return jws.getCompactSerialization();
  }

  /** Sets {@code cnf} to the X25519 runtime key {@code key}, as the service does. */
  public static void bindRuntimeKey(JwtClaims c, byte[] key) {
    c.setClaim(
        "cnf",
        Map.of(
            "jwk",
            Map.of(
                "kty",
                "OKP",
                "crv",
                "X25519",
                "x",
                Base64.getUrlEncoder().withoutPadding().encodeToString(key))));
  }
}
