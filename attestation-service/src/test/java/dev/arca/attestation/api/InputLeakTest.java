package dev.arca.attestation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an unauthenticated or hostile caller can learn or break through malformed input: a NUL byte
 * in a device id or attribute is the client's error (400), not "database unavailable" (503); the
 * token-less activation endpoint answers an unknown device exactly as an active one, so it cannot
 * be used to enumerate device ids.
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
