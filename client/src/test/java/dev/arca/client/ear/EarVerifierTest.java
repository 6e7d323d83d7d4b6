package dev.arca.client.ear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Tokens are made here the way the service makes them (ES256, kid, cnf, submods, arca.grants), and
 * then bent: algorithm {@code none}, HMAC keyed with the public key (algorithm confusion), a key of
 * another service, another issuer, expiry, a contraindicated status.
 */
class EarVerifierTest {
  static final String ISSUER = "arca-attestation-service";
  static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");
  static final byte[] RUNTIME_KEY = new byte[32];

  final KeyPair service = ecKey();
  final String jwks = jwks(service, "k1");

  static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String jwks(KeyPair kp, String kid) {
    try {
      EllipticCurveJsonWebKey jwk =
          (EllipticCurveJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(kp.getPublic());
      jwk.setKeyId(kid);
      return new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JwtClaims claims(String issuer, Instant exp, String status) {
    JwtClaims c = new JwtClaims();
    c.setIssuer(issuer);
    c.setSubject("device-1");
    c.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond() - 10));
    c.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
    c.setClaim(
        "submods",
        Map.of("tpm2", Map.of("ear.status", status, "ear.appraisal-policy-id", "phi@3")));
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
                Base64.getUrlEncoder().withoutPadding().encodeToString(RUNTIME_KEY))));
    c.setClaim(
        "arca.grants",
        List.of(Map.of("model", "triage", "version", 3, "dataClasses", List.of("phi"))));
    return c;
  }

  static String es256(KeyPair kp, String kid, JwtClaims c) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(c.toJson());
    jws.setKey(kp.getPrivate());
    jws.setKeyIdHeaderValue(kid);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    return jws.getCompactSerialization();
  }

  String valid() throws Exception {
    return es256(service, "k1", claims(ISSUER, NOW.plusSeconds(600), "affirming"));
  }

  void refused(String token, String id) {
    assertThatThrownBy(() -> EarVerifier.of(jwks, ISSUER).verify(token, NOW))
        .isInstanceOfSatisfying(EarException.class, e -> assertThat(e.id()).isEqualTo(id));
  }

  @Test
  void aServiceTokenVerifiesAndSaysWhatTheRuntimeMayServe() throws Exception {
    VerifiedEar ear = EarVerifier.of(jwks, ISSUER).verify(valid(), NOW);
    assertThat(ear.deviceId()).isEqualTo("device-1");
    assertThat(ear.runtimeKey()).isEqualTo(RUNTIME_KEY);
    assertThat(ear.statuses()).containsEntry("tpm2", "affirming");
    assertThat(ear.policies()).containsEntry("tpm2", "phi@3");
    assertThat(ear.requireGrant("triage", "phi").version()).isEqualTo(3);
    assertThatThrownBy(() -> ear.requireGrant("triage", "pci"))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.NOT_GRANTED));
  }

  @Test
  void algorithmNoneIsRefused() throws Exception {
    String[] parts = valid().split("\\.");
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
    refused(header + "." + parts[1] + ".", EarException.SIGNATURE);
  }

  @Test
  void hmacKeyedWithThePublicKeyIsRefused() throws Exception {
    // Algorithm confusion: HS256 with the service's public key bytes as the shared secret.
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims(ISSUER, NOW.plusSeconds(600), "affirming").toJson());
    jws.setKey(new HmacKey(service.getPublic().getEncoded()));
    jws.setKeyIdHeaderValue("k1");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    refused(jws.getCompactSerialization(), EarException.SIGNATURE);
  }

  @Test
  void aTokenFromAnotherServiceOrIssuerIsRefused() throws Exception {
    refused(
        es256(ecKey(), "k1", claims(ISSUER, NOW.plusSeconds(600), "affirming")),
        EarException.SIGNATURE);
    refused(
        es256(service, "k1", claims("some-other-realm", NOW.plusSeconds(600), "affirming")),
        EarException.ISSUER);
  }

  @Test
  void expiredOrContraindicatedTokensAreRefused() throws Exception {
    refused(
        es256(service, "k1", claims(ISSUER, NOW.minusSeconds(60), "affirming")),
        EarException.EXPIRED);
    refused(
        es256(service, "k1", claims(ISSUER, NOW.plusSeconds(600), "contraindicated")),
        EarException.STATUS);
  }

  @Test
  void aTamperedPayloadIsRefused() throws Exception {
    String[] parts = valid().split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"phi\"]", "\"phi\",\"pci\"]");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    refused(forged, EarException.SIGNATURE);
  }
}
