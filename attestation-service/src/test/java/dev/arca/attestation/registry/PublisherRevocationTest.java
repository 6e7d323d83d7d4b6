// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Revoking a publisher key stops key release for the versions it already signed, not only new
 * publications: a compromised signer's models reach no device after the security team revokes it.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class PublisherRevocationTest {
  static final String MODEL = "pubrev-model";
  static final String KEY_ID = "pubrev-publisher";

  @Test
  void revokingAPublisherKeyStopsKeyReleaseForWhatItSigned() throws Exception {
    TestPolicy.activate();
    PublisherSigningKey publisher =
        PublisherSigningKey.generate(SignatureAlgorithm.ED25519, KEY_ID);
    TestModels.trust(publisher).statusCode(201);
    TestModels.publish(TestModels.seal(publisher, MODEL, 1, List.of("synthetic"), new byte[256]))
        .then()
        .statusCode(201);
    DevDevice device = new DevDevice("pubrev-edge-1");
    device.enrol(Map.of());
    attest(device).statusCode(200).body("grants[0].modelId", equalTo(MODEL));

    Api.as("policy-admin").post("/v1/publisher-keys/" + KEY_ID + "/revoke").then().statusCode(200);

    attest(device)
        .statusCode(403)
        .body("type", equalTo("urn:arca:problem:attestation/policy-denied"))
        .body("denials.reason", hasItem("publisher-revoked"));
  }

  private static ValidatableResponse attest(DevDevice d) {
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(DevDevice.model(MODEL, "synthetic"))))
        .post("/v1/attestations")
        .then();
  }
}
