// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakServer;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Admin tokens are trusted only from the configured Keycloak realm with its own keys: a genuine
 * token of another realm on the same server, a token with the right issuer and roles signed by
 * another key, and an HMAC token keyed with the realm's public key (algorithm confusion) are each
 * 401, while the same roles from the realm succeed. So is a genuine token of the realm issued to
 * another application: without the service's audience ({@code arca-service}) it is 401 too.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class TokenTrustTest {
  private static final String SERVICE_AUDIENCE = "arca-service";

  @Test
  void theRealmsOwnTokenWorks() {
    Api.as("device-admin").get("/v1/devices").then().statusCode(200);
  }

  @Test
  void aRealmTokenWithoutTheServicesAudienceIsRefused() throws Exception {
    String other = Tokens.otherApplication("device-admin");
    JwtClaims claims = unverifiedClaims(other);
    assertThat(claims.getIssuer()).isEqualTo(KeycloakServer.shared().realmUrl());
    assertThat(claims.toJson()).contains("device-admin");
    assertThat(claims.hasAudience() ? claims.getAudience() : List.of())
        .doesNotContain(SERVICE_AUDIENCE);
    unauthorized(other);
    // The realm's own clients put the audience in: the same user through them is let in.
    assertThat(unverifiedClaims(Tokens.of("device-admin")).getAudience())
        .contains(SERVICE_AUDIENCE);
  }

  @Test
  void aGenuineTokenOfAnotherRealmIsRefused() {
    unauthorized(Tokens.impostorRealmAdmin());
  }

  @Test
  void theRightIssuerAndRolesSignedByAnotherKeyAreRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair attacker = g.generateKeyPair();
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(adminClaims().toJson());
    jws.setKey(attacker.getPrivate());
    jws.setKeyIdHeaderValue(realmKey().getKeyId());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    unauthorized(jws.getCompactSerialization());
  }

  @Test
  void hmacKeyedWithTheRealmsPublicKeyIsRefused() throws Exception {
    RsaJsonWebKey realm = realmKey();
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(adminClaims().toJson());
    jws.setKey(new HmacKey(realm.getPublicKey().getEncoded()));
    jws.setKeyIdHeaderValue(realm.getKeyId());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    jws.setDoKeyValidation(false);
    unauthorized(jws.getCompactSerialization());
  }

  private static void unauthorized(String token) {
    for (String path : List.of("/v1/devices", "/v1/policies", "/v1/audit/search")) {
      Api.anonymous()
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(401)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:unauthorized"));
    }
  }

  /** The claims of a token, read without checking it (the test's own look at what it holds). */
  private static JwtClaims unverifiedClaims(String token) throws Exception {
    String payload = token.split("\\.", -1)[1];
    return JwtClaims.parse(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  /** What a realm token for every admin role would claim. */
  private static JwtClaims adminClaims() {
    JwtClaims c = new JwtClaims();
    c.setIssuer(KeycloakServer.shared().realmUrl());
    c.setSubject("attacker");
    c.setAudience("account");
    c.setExpirationTimeMinutesInTheFuture(5);
    c.setIssuedAtToNow();
    c.setClaim(
        "realm_access",
        Map.of("roles", List.of("policy-admin", "device-admin", "auditor", "model-publisher")));
    return c;
  }

  private static RsaJsonWebKey realmKey() throws Exception {
    String certs =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            KeycloakServer.shared().realmUrl() + "/protocol/openid-connect/certs"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (JsonWebKey k : new JsonWebKeySet(certs).getJsonWebKeys()) {
      if (k instanceof RsaJsonWebKey rsa && "sig".equals(k.getUse())) {
        return rsa;
      }
    }
    throw new IllegalStateException("the realm publishes no RSA signing key");
  }
}
