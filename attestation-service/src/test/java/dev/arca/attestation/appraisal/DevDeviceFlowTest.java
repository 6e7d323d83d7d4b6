// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.attestation.token.EarIssuer;
import dev.arca.attestation.token.ServiceBuild;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.EarVerifier;
import dev.arca.client.ear.VerifiedEar;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/**
 * The whole device flow with the real dev attester: enrol, publish, policy, challenge, attest; the
 * grant's data key opens only with the runtime's private key, the EAR token verifies against the
 * JWKS (also after a key rotation), the package downloads by grant with ranges, and metrics count
 * it.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DevDeviceFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  // jose4j hands JSON claims back as raw Map and List.
  @SuppressWarnings("unchecked")
  void grantReleasedToTheAttestedRuntimeOnly() throws Exception {
    DevDevice device = new DevDevice("flow-edge-1");
    device.enrol(Map.of("class", "flow-box", "site", "lab", "owner", "research"));
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "format", "dev",
                "subject", "class:flow-box",
                "measurements", Map.of("runtime", List.of("ab12cd34"))))
        .post("/v1/reference-values/flow-refs")
        .then()
        .statusCode(201);
    TestModels.Sealed sealed = TestModels.seal("triage", 1, List.of("synthetic", "phi"), 300_000);
    String manifestDigest =
        TestModels.publish(sealed)
            .then()
            .statusCode(201)
            .body("wrappedDataKey", org.hamcrest.Matchers.nullValue())
            .extract()
            .path("manifestDigest");
    assertThat(manifestDigest).isEqualTo(sealed.manifestDigest());
    TestPolicy.activate();

    byte[] nonce = DevDevice.challenge();
    long sent = Instant.now().getEpochSecond();
    JsonPath answer =
        given()
            .contentType(ContentType.JSON)
            .body(
                device.request(
                    nonce, List.of(model("triage", "synthetic"), model("triage", "phi"))))
            .post("/v1/attestations")
            .then()
            .statusCode(200)
            .body("status", equalTo("affirming"))
            .body("grants.size()", equalTo(1))
            .body("denials[0].rules", hasItem("software-attester-beyond-synthetic"))
            .extract()
            .jsonPath();

    long answered = Instant.now().getEpochSecond();

    // The data key opens with the runtime's private key and the grant-bound info.
    Map<String, Object> grant = answer.getMap("grants[0]");
    UUID grantId = UUID.fromString((String) grant.get("grantId"));
    assertThat(grant.get("manifestDigest")).isEqualTo(manifestDigest);
    WrappedKey wrapped =
        WrappedKey.decode(Base64.getDecoder().decode(answer.getString("grants[0].wrappedKey")));
    KeyReleaseInfo info =
        KeyReleaseInfo.of(grantId.toString(), "triage", 1, HexFormat.of().parseHex(manifestDigest));
    assertThat(KeyRelease.unwrap(wrapped, device.runtimeKeys, info).sameKeyAs(sealed.dataKey()))
        .isTrue();
    // ...and with nothing else: another runtime's key, or another grant, version or manifest.
    HpkePrivateKey other = DevDevice.newRuntimeKey();
    assertThatThrownBy(() -> KeyRelease.unwrap(wrapped, other, info))
        .isInstanceOf(HpkeException.class);
    for (KeyReleaseInfo wrong :
        List.of(
            KeyReleaseInfo.of(UUID.randomUUID().toString(), "triage", 1, info.manifestDigest()),
            KeyReleaseInfo.of(grantId.toString(), "triage", 2, info.manifestDigest()),
            KeyReleaseInfo.of(grantId.toString(), "triage", 1, new byte[32]))) {
      assertThatThrownBy(() -> KeyRelease.unwrap(wrapped, device.runtimeKeys, wrong))
          .isInstanceOf(HpkeException.class);
    }
    assertThat(answer.getLong("grants[0].obligations.leaseSeconds")).isEqualTo(3600);
    // Every obligation of the permitting rule reaches the runtime, re-attestation included.
    assertThat(answer.getLong("grants[0].obligations.offlineAllowanceSeconds")).isEqualTo(1800);
    assertThat(answer.getLong("grants[0].obligations.reattestationSeconds")).isEqualTo(900);
    assertThat(answer.getLong("grants[0].obligations.maxRequestsPerMinute")).isEqualTo(6000);
    // The grant covers what policy permitted (synthetic), not everything the manifest allows.
    assertThat(answer.getList("grants[0].dataClasses")).containsExactly("synthetic");

    // The EAR token verifies against the published keys and binds the runtime key.
    String token = answer.getString("token");
    JwtClaims claims = verify(token);
    assertThat(claims.getSubject()).isEqualTo(device.id);
    Map<String, Object> cnf = claims.getClaimValue("cnf", Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> jwk = (Map<String, Object>) cnf.get("jwk");
    assertThat(jwk.get("crv")).isEqualTo("X25519");
    assertThat(Base64.getUrlDecoder().decode((String) jwk.get("x")))
        .isEqualTo(device.runtimePublicKey());
    @SuppressWarnings("unchecked")
    Map<String, Object> dev =
        (Map<String, Object>) claims.getClaimValue("submods", Map.class).get("dev");
    assertThat(dev.get("ear.status")).isEqualTo("affirming");
    assertThat(dev.get("ear.appraisal-policy-id")).isEqualTo("service-test@1");
    // EAR as draft-ietf-rats-ear-04 writes it: the profile, who the token is for, which verifier
    // build appraised (this service's version and commit), and the grants as a map by model.
    assertThat(claims.getClaimValue("eat_profile")).isEqualTo(EarIssuer.EAR_PROFILE);
    assertThat(claims.getAudience()).containsExactly("arca-applications");
    @SuppressWarnings("unchecked")
    Map<String, Object> verifierId = claims.getClaimValue("ear.verifier-id", Map.class);
    ServiceBuild build = ServiceBuild.current();
    assertThat(build.version()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(build.commit()).matches("[0-9a-f]{7,}(\\+changes)?");
    assertThat(verifierId)
        .containsEntry("developer", "https://arca.dev")
        .containsEntry(
            "build", "arca-attestation-service 0.1.0-SNAPSHOT (commit " + build.commit() + ")");
    assertThat(claims.getClaimValue("eat_nonce")).isNotNull();
    assertThat(claims.getClaimValue("arca.grants")).isNull();
    assertThat(claims.getClaimValue(EarIssuer.GRANTS_CLAIM, Map.class))
        .containsExactly(
            Map.entry(
                "triage", List.of(Map.of("version", 1L, "dataClasses", List.of("synthetic")))));
    // Issued now (the service's clock is the real one here: no test leaves it moved), valid for
    // arca.token.ttl (10 minutes).
    assertThat(claims.getIssuedAt().getValue()).isBetween(sent - 1, answered + 1);
    assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
        .isEqualTo(600);

    // The client's EarVerifier, what an application runs, accepts the token as issued...
    VerifiedEar verified = ear().verify(token, Instant.now());
    assertThat(verified.deviceId()).isEqualTo(device.id);
    assertThat(verified.runtimeKey()).isEqualTo(device.runtimePublicKey());
    assertThat(verified.requireGrant("triage", "synthetic").version()).isEqualTo(1);
    // ...for the audience the service names, and not for another one.
    String jwks = given().get("/.well-known/jwks.json").then().extract().asString();
    assertThat(
            EarVerifier.of(jwks, "arca-attestation-service", "arca-applications")
                .verify(token, Instant.now())
                .deviceId())
        .isEqualTo(device.id);
    assertThatThrownBy(
            () ->
                EarVerifier.of(jwks, "arca-attestation-service", "another-deployment")
                    .verify(token, Instant.now()))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.AUDIENCE));
    // ...and refuses it, for its signature, with one claim changed (still a well-formed JWT) or
    // one byte of the signature changed.
    String[] parts = token.split("\\.", -1);
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("\"sub\":\"" + device.id + "\"");
    String otherSubject =
        parts[0]
            + "."
            + b64url(payload.replace("\"sub\":\"" + device.id, "\"sub\":\"impostor-1"))
            + "."
            + parts[2];
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[signature.length / 2] ^= 0x01;
    String otherSignature = parts[0] + "." + parts[1] + "." + b64url(signature);
    for (String forged : List.of(otherSubject, otherSignature)) {
      assertThatThrownBy(() -> ear().verify(forged, Instant.now()))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.SIGNATURE));
    }

    // Rotation: a new key signs new tokens, the old one stays published, old tokens still verify.
    String oldKid = kid(token);
    assertThat(publishedKids()).contains(oldKid);
    Api.as("policy-admin").post("/v1/signing-keys/rotate").then().statusCode(200);
    assertThat(ear().verify(token, Instant.now()).deviceId()).isEqualTo(device.id);
    String newToken =
        given()
            .contentType(ContentType.JSON)
            .body(device.request(DevDevice.challenge(), List.of(model("triage", "synthetic"))))
            .post("/v1/attestations")
            .then()
            .statusCode(200)
            .extract()
            .path("token");
    String newKid = kid(newToken);
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(publishedKids()).contains(oldKid, newKid);
    assertThat(ear().verify(newToken, Instant.now()).deviceId()).isEqualTo(device.id);

    // The sealed package downloads with the grant, by ranges.
    byte[] pkg = sealed.pkg();
    byte[] part =
        given()
            .header("Arca-Grant", grantId.toString())
            .header("Range", "bytes=100-199")
            .get("/v1/models/triage/versions/1/package")
            .then()
            .statusCode(206)
            .header("Content-Range", "bytes 100-199/" + pkg.length)
            .extract()
            .asByteArray();
    assertThat(part).isEqualTo(Arrays.copyOfRange(pkg, 100, 200));
    byte[] all =
        given()
            .header("Arca-Grant", grantId.toString())
            .get("/v1/models/triage/versions/1/package")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(all).isEqualTo(pkg);
    given()
        .header("Arca-Grant", grantId.toString())
        .header("Range", "bytes=400000-")
        .get("/v1/models/triage/versions/1/package")
        .then()
        .statusCode(416);
    given()
        .header("Arca-Grant", UUID.randomUUID().toString())
        .get("/v1/models/triage/versions/1/package")
        .then()
        .statusCode(403)
        .body("type", equalTo("urn:arca:problem:grant-required"));
    // A replica that does not share the package store (here: the file moved away) answers 503
    // with what to retry, not 500 in mid-stream (ReplicasIT runs real replicas on one store).
    java.nio.file.Path stored =
        java.nio.file.Path.of(
            org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("arca.resolved-data-dir", String.class),
            "packages",
            "triage",
            "1.sealed");
    java.nio.file.Path away = stored.resolveSibling("1.sealed.away");
    java.nio.file.Files.move(stored, away);
    try {
      given()
          .header("Arca-Grant", grantId.toString())
          .get("/v1/models/triage/versions/1/package")
          .then()
          .statusCode(503)
          .body("type", equalTo("urn:arca:problem:unavailable"))
          .body("detail", containsString("not in this replica's package store"));
    } finally {
      java.nio.file.Files.move(away, stored);
    }

    // The decision is in the audit log, and metrics counted it.
    Refusals.recorded(
        answer.getLong("auditSequence"), "attestation.appraised", device.id, "permit");
    String metrics =
        Api.as("auditor").get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("arca_attestations_total{format=\"dev\",verdict=\"permit\"}")
        .contains("arca_key_releases_total{model=\"triage\"}")
        .contains("arca_attestation_latency_seconds_bucket");
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'kek' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'kek' }.data.uri", equalTo("arca-local-kek://service"));
  }

  private static EarVerifier ear() throws EarException {
    String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    return EarVerifier.of(jwks, "arca-attestation-service");
  }

  /** The {@code kid} of a JWS's protected header. */
  private static String kid(String token) throws Exception {
    String header = token.substring(0, token.indexOf('.'));
    return JSON.readTree(Base64.getUrlDecoder().decode(header)).get("kid").asText();
  }

  private static List<String> publishedKids() {
    return given().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
  }

  private static String b64url(String s) {
    return b64url(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static JwtClaims verify(String token) throws Exception {
    String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setVerificationKeyResolver(
                new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
            .setRequireExpirationTime()
            .setExpectedIssuer("arca-attestation-service")
            .setExpectedAudience("arca-applications")
            .setAllowedClockSkewInSeconds(5)
            .build();
    return consumer.processToClaims(token);
  }
}
