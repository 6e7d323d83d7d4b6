// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an unauthenticated or hostile caller can learn or break through malformed input: a NUL byte
 * in a device id or attribute is the client's error (400), not "database unavailable" (503); the
 * token-less activation endpoint answers an unknown device exactly as an active one, so it cannot
 * be used to enumerate device ids; the grant-guarded package download answers an unknown model
 * exactly as a published one the caller holds no grant for, so it cannot enumerate models; and the
 * service's metrics are not public.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class InputLeakTest {

  @Test
  void aNulByteInTheDeviceIdIsABadRequestNotAnOutage() {
    Map<String, Object> body =
        Map.of(
            "deviceId", "edge\u0000-1",
            "format", "dev",
            "evidence", "AAAA",
            "nonce", "AAAA",
            "runtimePublicKey", Base64.getEncoder().encodeToString(new byte[32]),
            "models", List.of(Map.of("modelId", "m", "dataClass", "synthetic")));
    Api.anonymous()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/attestations")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
  }

  @Test
  void aNulByteInAnAttributeIsABadRequestNotAnOutage() {
    DevDevice d = new DevDevice("nul-attribute-box");
    Api.as("device-admin")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                d.id,
                "format",
                "dev",
                "enrolment",
                Map.of("publicKey", DevDevice.b64(d.attester.publicKey())),
                "attributes",
                Map.of("site", "clinic\u0000")))
        .post("/v1/devices")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:invalid-request"))
        .body("detail", containsString("NUL"));
  }

  @Test
  void activationAnswersAnUnknownDeviceAsAnActiveOne() {
    DevDevice d = new DevDevice("activation-probe-box");
    d.enrol(Map.of());
    String known = activate(d.id, 409);
    String unknown = activate("no-such-device-xyz", 409);
    // Same type and the same sentence, only the id the caller sent differs.
    assertThat(unknown.replace("no-such-device-xyz", d.id)).isEqualTo(known);
    assertThat(known).doesNotContain("active");
  }

  @Test
  void aPackageOfAnUnknownModelAnswersAsOneTheCallerMayNotRead() {
    TestModels.publish(TestModels.seal("leak-probe-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
    for (String grant : List.of(UUID.randomUUID().toString(), "not-a-grant", "")) {
      String published = download("/v1/models/leak-probe-model/versions/1/package", grant);
      String unknown = download("/v1/models/no-such-model-xyz/versions/1/package", grant);
      String noVersion = download("/v1/models/leak-probe-model/versions/99/package", grant);
      // The same status and document; only the path the caller sent (the instance) differs.
      assertThat(unknown.replace("no-such-model-xyz", "leak-probe-model")).isEqualTo(published);
      assertThat(noVersion.replace("/99/", "/1/")).isEqualTo(published);
    }
  }

  @Test
  void metricsAreNotPublic() {
    Api.anonymous().get("/q/metrics").then().statusCode(401);
    Api.as("no-role").get("/q/metrics").then().statusCode(403);
    Api.as("auditor").get("/q/metrics").then().statusCode(200).body(containsString("# TYPE jvm_"));
  }

  /** The answer to a package download with {@code grant} (none when blank), as text. */
  private static String download(String path, String grant) {
    var request = Api.anonymous();
    if (!grant.isEmpty()) {
      request.header("Arca-Grant", grant);
    }
    return request
        .get(path)
        .then()
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:grant-required"))
        .extract()
        .asString();
  }

  private static String activate(String id, int status) {
    return Api.anonymous()
        .contentType(ContentType.JSON)
        .body(Map.of("secret", Base64.getEncoder().encodeToString(new byte[32])))
        .post("/v1/devices/" + id + "/activation")
        .then()
        .statusCode(status)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:enrolment/activation-not-pending"))
        .body("detail", not(containsString("revoked")))
        .extract()
        .path("detail");
  }
}
