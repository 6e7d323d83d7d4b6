// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.ear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Tokens are made here the way the service makes them (ES256, kid, eat_profile, aud, cnf, submods,
 * dev.arca.grants), and then bent: algorithm {@code none}, HMAC keyed with the public key
 * (algorithm confusion), a key of another service, another issuer or audience, another profile,
 * expiry, a contraindicated status, grants that are not a map.
 */
class EarVerifierTest {
  final KeyPair service = TestTokens.ecKey();
  final String jwks = TestTokens.jwks(service, "k1");

  String valid() throws Exception {
    return TestTokens.es256(
        service,
        "k1",
        TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "affirming"));
  }

  void refused(String token, String id) {
    assertThatThrownBy(() -> EarVerifier.of(jwks, TestTokens.ISSUER).verify(token, TestTokens.NOW))
        .isInstanceOfSatisfying(EarException.class, e -> assertThat(e.id()).isEqualTo(id));
  }

  @Test
  void aServiceTokenVerifiesAndSaysWhatTheRuntimeMayServe() throws Exception {
    VerifiedEar ear = EarVerifier.of(jwks, TestTokens.ISSUER).verify(valid(), TestTokens.NOW);
    assertThat(ear.deviceId()).isEqualTo("device-1");
    assertThat(ear.runtimeKey()).isEqualTo(TestTokens.RUNTIME_KEY);
    assertThat(ear.statuses()).containsEntry("tpm2", "affirming");
    assertThat(ear.policies()).containsEntry("tpm2", "phi@3");
    assertThat(ear.requireGrant("triage", "phi").version()).isEqualTo(3);
    assertThatThrownBy(() -> ear.requireGrant("triage", "pci"))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.NOT_GRANTED));
  }

  @Test
  void algorithmNoneIsRefused() throws Exception {
    String[] parts = valid().split("\\.", -1);
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
    jws.setPayload(
        TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "affirming")
            .toJson());
    jws.setKey(new HmacKey(service.getPublic().getEncoded()));
    jws.setKeyIdHeaderValue("k1");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    refused(jws.getCompactSerialization(), EarException.SIGNATURE);
  }

  @Test
  void aTokenFromAnotherServiceOrIssuerIsRefused() throws Exception {
    refused(
        TestTokens.es256(
            TestTokens.ecKey(),
            "k1",
            TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "affirming")),
        EarException.SIGNATURE);
    refused(
        TestTokens.es256(
            service,
            "k1",
            TestTokens.claims("some-other-realm", TestTokens.NOW.plusSeconds(600), "affirming")),
        EarException.ISSUER);
  }

  @Test
  void expiredOrContraindicatedTokensAreRefused() throws Exception {
    refused(
        TestTokens.es256(
            service,
            "k1",
            TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.minusSeconds(60), "affirming")),
        EarException.EXPIRED);
    refused(
        TestTokens.es256(
            service,
            "k1",
            TestTokens.claims(
                TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "contraindicated")),
        EarException.STATUS);
  }

  @Test
  void aTamperedPayloadIsRefused() throws Exception {
    String[] parts = valid().split("\\.", -1);
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

  String signed(JwtClaims c) throws Exception {
    return TestTokens.es256(service, "k1", c);
  }

  JwtClaims claims() {
    return TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "affirming");
  }

  @Test
  void aTokenForTheNamedAudienceVerifies() throws Exception {
    VerifiedEar ear =
        EarVerifier.of(jwks, TestTokens.ISSUER, TestTokens.AUDIENCE)
            .verify(valid(), TestTokens.NOW);
    assertThat(ear.deviceId()).isEqualTo("device-1");
    // an audience among several also counts
    JwtClaims c = claims();
    c.setAudience("other-deployment", TestTokens.AUDIENCE);
    assertThat(
            EarVerifier.of(jwks, TestTokens.ISSUER, TestTokens.AUDIENCE)
                .verify(signed(c), TestTokens.NOW)
                .deviceId())
        .isEqualTo("device-1");
  }

  @Test
  void aTokenForAnotherAudienceOrNoneIsRefusedWhenTheApplicationNamesOne() throws Exception {
    JwtClaims other = claims();
    other.setAudience("other-deployment");
    JwtClaims none = claims();
    none.unsetClaim("aud");
    for (JwtClaims c : List.of(other, none)) {
      String token = signed(c);
      assertThatThrownBy(
              () ->
                  EarVerifier.of(jwks, TestTokens.ISSUER, TestTokens.AUDIENCE)
                      .verify(token, TestTokens.NOW))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.AUDIENCE));
    }
    // A verifier that names no audience does not look at it.
    assertThat(EarVerifier.of(jwks, TestTokens.ISSUER).verify(signed(other), TestTokens.NOW))
        .isNotNull();
  }

  @Test
  void aTokenOfAnotherProfileOrNoneIsRefused() throws Exception {
    JwtClaims other = claims();
    other.setClaim("eat_profile", "tag:example.com,2024:other-profile");
    JwtClaims none = claims();
    none.unsetClaim("eat_profile");
    refused(signed(other), EarException.MALFORMED);
    refused(signed(none), EarException.MALFORMED);
  }

  @Test
  void grantsAreAMapOfModelsToTheirVersions() throws Exception {
    JwtClaims two = claims();
    two.setClaim(
        "dev.arca.grants",
        Map.of(
            "triage",
            List.of(
                Map.of("version", 3, "dataClasses", List.of("phi")),
                Map.of("version", 4, "dataClasses", List.of("synthetic"))),
            "ocr",
            List.of(Map.of("version", 1, "dataClasses", List.of("pci")))));
    VerifiedEar ear = EarVerifier.of(jwks, TestTokens.ISSUER).verify(signed(two), TestTokens.NOW);
    assertThat(ear.grants())
        .containsExactlyInAnyOrder(
            new VerifiedEar.Grant("triage", 3, List.of("phi")),
            new VerifiedEar.Grant("triage", 4, List.of("synthetic")),
            new VerifiedEar.Grant("ocr", 1, List.of("pci")));
    assertThat(ear.requireGrant("triage", "synthetic").version()).isEqualTo(4);
    // The draft-00 era list shape, or a version without data classes, is not a grant.
    JwtClaims list = claims();
    list.setClaim(
        "dev.arca.grants",
        List.of(Map.of("model", "triage", "version", 3, "dataClasses", List.of("phi"))));
    JwtClaims noClasses = claims();
    noClasses.setClaim("dev.arca.grants", Map.of("triage", List.of(Map.of("version", 3))));
    refused(signed(list), EarException.MALFORMED);
    refused(signed(noClasses), EarException.MALFORMED);
  }
}
