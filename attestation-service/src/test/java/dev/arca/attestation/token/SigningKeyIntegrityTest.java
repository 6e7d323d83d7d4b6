// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.EarVerifier;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * A database writer cannot mint EAR tokens: the JWKS is derived from the KEK-wrapped private keys,
 * so a {@code signing_key} row inserted with an attacker's public key (and no private key that
 * opens under the KEK) is never published, and a genuine row whose stored public key was swapped
 * still publishes its own key. Forged rows are written with SQL against the real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class SigningKeyIntegrityTest {
  private static final String ATTACKER_KID = "attacker-kid";

  @Inject Database db;
  @Inject SigningKeys keys;

  @Test
  void aRowInsertedWithAnAttackersKeyIsNotPublishedAndItsTokensAreRefused() throws Exception {
    KeyPair attacker = ecKey();
    byte[] garbage = new byte[96];
    new SecureRandom().nextBytes(garbage);
    sql(
        "INSERT INTO signing_key (kid, public_jwk, wrapped_private, created_at) VALUES (?, ?, ?, ?)",
        ATTACKER_KID,
        jwk(attacker, ATTACKER_KID),
        garbage,
        Timestamp.from(Instant.now()));
    try {
      keys.refresh();
      String jwks =
          Api.anonymous().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
      assertThat(kids(jwks)).doesNotContain(ATTACKER_KID).contains(keys.active().kid());
      assertThat(keys.active().kid()).isNotEqualTo(ATTACKER_KID);
      assertThatThrownBy(
              () ->
                  EarVerifier.of(jwks, "arca-attestation-service")
                      .verify(forgedEar(attacker, ATTACKER_KID), Instant.now()))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.SIGNATURE));
    } finally {
      sql("DELETE FROM signing_key WHERE kid = ?", ATTACKER_KID);
      keys.refresh();
    }
  }

  @Test
  void aSwappedPublicKeyOfTheActiveRowPublishesTheRowsOwnKey() throws Exception {
    String kid = keys.active().kid();
    PublicJsonWebKey genuine = published(kid);
    KeyPair attacker = ecKey();
    String stored = storedPublic(kid);
    sql("UPDATE signing_key SET public_jwk = ? WHERE kid = ?", jwk(attacker, kid), kid);
    try {
      keys.refresh();
      PublicJsonWebKey now = published(kid);
      assertThat(now.getPublicKey()).isEqualTo(genuine.getPublicKey());
      assertThat(now.getPublicKey()).isNotEqualTo(attacker.getPublic());
      assertThatThrownBy(
              () ->
                  EarVerifier.of(keys.jwksJson(), "arca-attestation-service")
                      .verify(forgedEar(attacker, kid), Instant.now()))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.SIGNATURE));
    } finally {
      sql("UPDATE signing_key SET public_jwk = ? WHERE kid = ?", stored, kid);
      keys.refresh();
    }
  }

  private PublicJsonWebKey published(String kid) throws Exception {
    for (JsonWebKey k : new JsonWebKeySet(keys.jwksJson()).getJsonWebKeys()) {
      if (kid.equals(k.getKeyId())) {
        return (PublicJsonWebKey) k;
      }
    }
    throw new AssertionError("kid " + kid + " is not published");
  }

  private String storedPublic(String kid) {
    return Sql.text(db, "SELECT public_jwk FROM signing_key WHERE kid = ?", kid);
  }

  private void sql(String statement, Object... args) {
    Sql.update(db, statement, args);
  }

  private static List<String> kids(String jwks) throws Exception {
    return new JsonWebKeySet(jwks).getJsonWebKeys().stream().map(JsonWebKey::getKeyId).toList();
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String jwk(KeyPair kp, String kid) throws Exception {
    PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(kp.getPublic());
    jwk.setKeyId(kid);
    jwk.setUse("sig");
    jwk.setAlgorithm("ES256");
    return jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }

  /** An EAR as the service makes it, signed by {@code kp} under {@code kid}. */
  private static String forgedEar(KeyPair kp, String kid) throws Exception {
    JwtClaims c = new JwtClaims();
    c.setIssuer("arca-attestation-service");
    c.setSubject("stolen-box");
    c.setIssuedAt(NumericDate.now());
    c.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 600));
    c.setClaim("submods", Map.of("tpm2", Map.of("ear.status", "affirming")));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(c.toJson());
    jws.setKey(kp.getPrivate());
    jws.setKeyIdHeaderValue(kid);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    return jws.getCompactSerialization();
  }
}
