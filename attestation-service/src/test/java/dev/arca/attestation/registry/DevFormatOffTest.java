// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The development-only {@code dev} format on a service where it is off, as in production: a {@code
 * dev} device neither enrols nor attests ({@code format-disabled}, the refusal audited), and
 * readiness says the format is off. Its own Quarkus start (a test profile with the production
 * setting); every other service test runs with the test profile's {@code dev} format on.
 */
@QuarkusTest
@TestProfile(DevFormatOffTest.ProductionSetting.class)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DevFormatOffTest {

  /** The setting a production start has (application.properties without a profile). */
  public static class ProductionSetting implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(DevFormat.SETTING, "false");
    }
  }

  @Test
  void aDevDeviceNeitherEnrolsNorAttestsAndReadinessSaysTheFormatIsOff() {
    DevDevice device = new DevDevice("dev-off-1");
    device
        .sendEnrolment(Map.of())
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:format-disabled"));

    Refusals.refused(
        given()
            .contentType(ContentType.JSON)
            .body(device.request(DevDevice.challenge(), List.of(model("any", "synthetic"))))
            .post("/v1/attestations")
            .then(),
        403,
        "format-disabled",
        device.id);

    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'evidence formats' }.data.dev", equalTo("disabled"));
  }

  @Test
  void theProductionDefaultIsOffAndOnlyTheDevAndTestProfilesTurnItOn() throws IOException {
    List<String> settings;
    try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
      settings =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.contains(DevFormat.SETTING) && !l.startsWith("#"))
              .toList();
    }
    assertThat(settings)
        .containsExactlyInAnyOrder(
            DevFormat.SETTING + "=false",
            "%dev." + DevFormat.SETTING + "=true",
            "%test." + DevFormat.SETTING + "=true");
  }
}
