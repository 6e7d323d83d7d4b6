// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Publication accepts only real sealed packages signed by a trusted publisher key and uploaded with
 * their own data key; everything else is a {@code model-package-invalid} problem naming the reason,
 * and nothing is stored.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ModelPublishTest {

  @Test
  void aTrustedPackageWithItsKeyIsPublishedAndVersionsOnlyGoUp() {
    TestModels.publish(TestModels.seal("pub-ok", 2, List.of("phi"), 1000))
        .then()
        .statusCode(201)
        .body("version", equalTo(2))
        .body("manifest.publisherKeyId", equalTo(TestModels.PUBLISHER))
        .body("manifest.dataClasses[0]", equalTo("phi"));
    TestModels.publish(TestModels.seal("pub-ok", 1, List.of("phi"), 1000))
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:arca:problem:conflict"));
  }

  @Test
  void anUntrustedPublisherIsRefused() throws Exception {
    PublisherSigningKey stranger =
        PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "stranger");
    TestModels.Sealed m =
        TestModels.seal(stranger, "pub-stranger", 1, List.of("phi"), new byte[100]);
    refused(
        TestModels.upload("pub-stranger", m.dataKeyHeader(), m.pkg()),
        "seal.unknown-publisher-key");
  }

  @Test
  void anotherPackagesDataKeyIsRefused() {
    TestModels.Sealed m = TestModels.seal("pub-key", 1, List.of("phi"), 100);
    TestModels.Sealed other = TestModels.seal("pub-key", 1, List.of("phi"), 100);
    TestModels.trustPublisher();
    refused(TestModels.upload("pub-key", other.dataKeyHeader(), m.pkg()), "seal.wrong-data-key");
  }

  @Test
  void aPackageForAnotherModelIsRefused() {
    TestModels.Sealed m = TestModels.seal("pub-a", 1, List.of("phi"), 100);
    TestModels.trustPublisher();
    refused(TestModels.upload("pub-b", m.dataKeyHeader(), m.pkg()), "model-id-mismatch");
  }

  @Test
  void aTamperedManifestOrGarbageIsRefused() {
    TestModels.Sealed m = TestModels.seal("pub-t", 1, List.of("synthetic"), 100);
    TestModels.trustPublisher();
    byte[] tampered = m.pkg().clone();
    // Inside the manifest JSON, createdAt 00:00:00 -> 00:00:01 keeps it canonical but unsigned.
    String text = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1);
    tampered[text.indexOf("00:00:00Z") + 7] = '1';
    refused(
        TestModels.upload("pub-t", m.dataKeyHeader(), tampered), "seal.manifest-signature-invalid");
    refused(TestModels.upload("pub-t", m.dataKeyHeader(), new byte[] {1, 2, 3}), "seal.truncated");
    refused(
        TestModels.upload(
            "pub-t", m.dataKeyHeader(), Arrays.copyOf("not a package".getBytes(UTF_8), 64)),
        "seal.bad-magic");
  }

  @Test
  void aRevokedPublisherKeyNoLongerPublishes() throws Exception {
    PublisherSigningKey k = PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "pub-rev");
    TestModels.trust(k).statusCode(201);
    TestModels.Sealed v1 = TestModels.seal(k, "pub-rev-m", 1, List.of("phi"), new byte[10]);
    TestModels.upload("pub-rev-m", v1.dataKeyHeader(), v1.pkg()).statusCode(201);
    Api.as("policy-admin")
        .post("/v1/publisher-keys/pub-rev/revoke")
        .then()
        .statusCode(200)
        .body("status", equalTo("revoked"));
    TestModels.Sealed v2 = TestModels.seal(k, "pub-rev-m", 2, List.of("phi"), new byte[10]);
    refused(
        TestModels.upload("pub-rev-m", v2.dataKeyHeader(), v2.pkg()), "seal.unknown-publisher-key");
  }

  @Test
  void aBadPublisherKeyIsAClearError() {
    Api.as("policy-admin")
        .contentType("application/json")
        .body(Map.of("keyId", "bad", "algorithm", "rsa", "publicKey", "AAAA"))
        .post("/v1/publisher-keys")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
  }

  private static void refused(ValidatableResponse r, String reason) {
    r.statusCode(422)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:model-package-invalid"))
        .body("reason", equalTo(reason));
  }
}
