// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.evidence.nitro.TestNitroDocuments;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The development-only {@code dev} format on a service where it is off, as in production: a {@code
 * dev} device neither enrols nor attests ({@code format-disabled}, the refusal audited), and
 * readiness says the format is off. Likewise without the test profile's {@code
 * arca.formats.nitro.test-roots}, a test-signed Nitro document is refused even with its root in
 * that directory: production trusts the AWS root alone. Its own Quarkus start (a test profile with
 * the production settings); every other service test runs with the test profile's settings.
 */
@QuarkusTest
@TestProfile(DevFormatOffTest.ProductionSetting.class)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DevFormatOffTest {

  /** The settings a production start has (application.properties without a profile). */
  public static class ProductionSetting implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(DevFormat.SETTING, "false", "arca.formats.nitro.test-roots", "");
    }
  }

  @Test
  void aTestSignedNitroDocumentIsRefusedWithoutTheTestOnlyRoots() throws Exception {
    Instant now = Instant.now();
    TestNitroDocuments docs =
        new TestNitroDocuments(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    Path roots = Path.of("target", "test-nitro-roots");
    Files.createDirectories(roots);
    Path pinned = roots.resolve("production-setting-test-root.pem");
    Files.writeString(
        pinned,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(docs.root.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    try {
      TestPolicy.activate();
      HardwareDevice d = new HardwareDevice("nitro-production-root", "nitro");
      d.enrol(Map.of("moduleId", "i-prod1-enc1"), Map.of()).statusCode(201);
      byte[] nonce = DevDevice.challenge();
      ValidatableResponse r =
          d.attest(
                  "nitro",
                  nonce,
                  docs.document("i-prod1-enc1", Map.of(0, new byte[48]), d.reportData(nonce)),
                  List.of(model("any", "synthetic")))
              .body("failures.id", equalTo(List.of("nitro.chain.untrusted-root")));
      Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
    } finally {
      Files.deleteIfExists(pinned);
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
        .body("checks.find { it.name == 'evidence formats' }.data.dev", equalTo("disabled"))
        .body(
            "checks.find { it.name == 'evidence formats' }.data.enrolment",
            equalTo("android-key, cca, nitro, psa, sev-snp, tdx, tpm2"));
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
