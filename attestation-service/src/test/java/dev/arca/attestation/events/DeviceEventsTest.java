// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.events;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime's long poll for what it must act on: only with its own device's current EAR token; from
 * the log's head; a new version and a revocation of its model, and its device's revocation, arrive
 * as events; other models' do not.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DeviceEventsTest {
  private static boolean ready;

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestPolicy.activate();
    TestModels.publish(TestModels.seal("events-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
  }

  /** An enrolled dev device's EAR token, from a real attestation. */
  private static String tokenOf(DevDevice d) {
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(model("events-model", "synthetic"))))
        .post("/v1/attestations")
        .then()
        .statusCode(200)
        .extract()
        .path("token");
  }

  private static ValidatableResponse poll(String deviceId, String token, String query) {
    var req = given();
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return req.get("/v1/devices/" + deviceId + "/events" + query).then();
  }

  private static DevDevice enrolled(String id) {
    DevDevice d = new DevDevice(id);
    d.enrol(Map.of("class", "events-box"));
    return d;
  }

  @Test
  void onlyTheDevicesOwnCurrentTokenMayListen() {
    DevDevice d = enrolled("events-auth");
    String token = tokenOf(d);
    poll(d.id, null, "")
        .statusCode(401)
        .contentType(Problem.MEDIA_TYPE)
        .body("detail", containsString("EAR token"));
    poll(d.id, "not.a.token", "").statusCode(401).contentType(Problem.MEDIA_TYPE);
    // A token signed by someone else: the right shape, another key.
    String[] parts = token.split("\\.", -1);
    poll(d.id, parts[0] + "." + parts[1] + ".AAAA", "").statusCode(401);
    DevDevice other = enrolled("events-other");
    poll(other.id, token, "")
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("detail", containsString("events-auth"));
    poll(d.id, token, "?wait=26").statusCode(400).contentType(Problem.MEDIA_TYPE);
    poll(d.id, token, "?after=0&model=../x").statusCode(400);
    poll(d.id, token, "?after=0" + "&model=m".repeat(65))
        .statusCode(400)
        .body("detail", containsString("at most 64"));
  }

  @Test
  void aNewVersionARevocationAndTheDevicesRevocationArriveAsEvents() {
    DevDevice d = enrolled("events-edge");
    String token = tokenOf(d);
    long head = poll(d.id, token, "").statusCode(200).extract().jsonPath().getLong("next");
    // Nothing new: a poll with wait=0 answers at once, with the same position.
    poll(d.id, token, "?wait=0&after=" + head)
        .statusCode(200)
        .body("events.size()", equalTo(0))
        .body("next", equalTo((int) head));

    // Another model's version is not this device's business; its own model's is.
    TestModels.publish(TestModels.seal("events-unrelated", 1, List.of("synthetic"), 256))
        .then()
        .statusCode(201);
    TestModels.publish(TestModels.seal("events-model", 2, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
    JsonPath published =
        poll(d.id, token, "?wait=5&after=" + head).statusCode(200).extract().jsonPath();
    assertThat(published.getList("events.type")).containsExactly("model.published");
    assertThat(published.getList("events.subject")).containsExactly("model:events-model@2");
    long next = published.getLong("next");
    assertThat(next).isGreaterThan(head);

    Api.as("model-publisher")
        .post("/v1/models/events-model/versions/2/revoke")
        .then()
        .statusCode(200);
    assertThat(
            poll(d.id, token, "?wait=5&after=" + next)
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("events.type"))
        .containsExactly("model.revoked");

    // A model the token does not grant yet, named by the runtime, is heard of too.
    TestModels.publish(TestModels.seal("events-awaited", 1, List.of("synthetic"), 256))
        .then()
        .statusCode(201);
    assertThat(
            poll(d.id, token, "?wait=5&model=events-awaited&after=" + next)
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("events.subject", String.class))
        .contains("model:events-awaited@1");

    // The device itself revoked: its runtime hears of it (and its next attestation is refused).
    long beforeRevocation = poll(d.id, token, "").extract().jsonPath().getLong("next");
    Api.as("device-admin").post("/v1/devices/" + d.id + "/revoke").then().statusCode(200);
    assertThat(
            poll(d.id, token, "?wait=5&after=" + beforeRevocation)
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("events.subject", String.class))
        .containsExactly("device:events-edge");
  }
}
