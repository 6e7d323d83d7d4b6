// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Revoking a model version stops both new grants for it and downloads under earlier grants. */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ModelRevocationTest {
  static final String MODEL = "rev-model";

  @Test
  void aRevokedVersionIsNeitherGrantedNorDownloadable() {
    TestPolicy.activate();
    for (long v = 1; v <= 2; v++) {
      TestModels.publish(TestModels.seal(MODEL, v, List.of("synthetic"), 256))
          .then()
          .statusCode(201);
    }
    DevDevice device = new DevDevice("rev-edge-1");
    device.enrol(Map.of());
    JsonPath before = attest(device, null).statusCode(200).extract().jsonPath();
    String grant = before.getString("grants[0].grantId");
    org.assertj.core.api.Assertions.assertThat(before.getLong("grants[0].version")).isEqualTo(2);
    download(grant, 2).statusCode(200);

    Api.as("model-publisher")
        .post("/v1/models/" + MODEL + "/versions/2/revoke")
        .then()
        .statusCode(200)
        .body("status", equalTo("revoked"));

    // The grant issued before the revocation no longer downloads the package.
    download(grant, 2)
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:grant-required"));
    // Asking for the revoked version by number gets nothing, with the reason.
    attest(device, 2L)
        .statusCode(403)
        .body("type", equalTo("urn:arca:problem:attestation/policy-denied"))
        .body("denials.reason", hasItem("model-unavailable"));
    // Asking for the newest gets the newest version that is not revoked.
    attest(device, null).statusCode(200).body("grants[0].version", equalTo(1));
  }

  private static io.restassured.response.ValidatableResponse attest(DevDevice d, Long version) {
    Map<String, Object> m = new HashMap<>(DevDevice.model(MODEL, "synthetic"));
    if (version != null) {
      m.put("version", version);
    }
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(m)))
        .post("/v1/attestations")
        .then();
  }

  private static io.restassured.response.ValidatableResponse download(String grant, long version) {
    return given()
        .header("Arca-Grant", grant)
        .get("/v1/models/" + MODEL + "/versions/" + version + "/package")
        .then();
  }
}
