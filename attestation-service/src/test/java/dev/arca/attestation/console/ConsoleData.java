// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static io.restassured.RestAssured.given;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;

/**
 * What the console's tests look at, made once per run through the real API: the service test
 * policy, a model for synthetic and PHI data, a dev device that was granted the model for synthetic
 * data and denied it for PHI (one entry), then refused outright for PHI (another), and a device and
 * a model version for the revocation tests.
 */
final class ConsoleData {
  static final String DEVICE = "console-edge-1";
  static final String MODEL = "console-triage";
  static final String REVOKED_DEVICE = "console-revokee";
  static final String REVOKED_MODEL = "console-retired";

  /** The entry of the permit with its PHI denial. */
  static long permitEntry;

  /** The entry of the refused PHI-only attestation. */
  static long refusalEntry;

  private static boolean made;
  private static int later;

  private ConsoleData() {}

  static synchronized void ensure() {
    if (made) {
      return;
    }
    TestPolicy.activate();
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "format", "dev",
                "subject", "class:console-box",
                "measurements", Map.of("runtime", List.of("ab12cd34"))))
        .post("/v1/reference-values/console-refs")
        .then()
        .statusCode(201);
    TestModels.publish(TestModels.seal(MODEL, 1, List.of("synthetic", "phi"), 2048))
        .then()
        .statusCode(201);
    TestModels.publish(TestModels.seal(REVOKED_MODEL, 1, List.of("synthetic"), 1024))
        .then()
        .statusCode(201);
    DevDevice device = new DevDevice(DEVICE);
    device.enrol(Map.of("class", "console-box", "site", "ward-3", "owner", "radiology"));
    new DevDevice(REVOKED_DEVICE).enrol(Map.of("class", "console-box"));
    permitEntry =
        attest(
            device,
            List.of(DevDevice.model(MODEL, "synthetic"), DevDevice.model(MODEL, "phi")),
            200);
    refusalEntry = attest(device, List.of(DevDevice.model(MODEL, "phi")), 403);
    made = true;
  }

  /** One more appraisal by a new device, so the log grows; returns its entry. */
  static synchronized long attestAgain() {
    DevDevice device = new DevDevice(DEVICE + "-later-" + ++later);
    device.enrol(Map.of("class", "console-box"));
    return attest(device, List.of(DevDevice.model(MODEL, "synthetic")), 200);
  }

  private static long attest(DevDevice device, List<Map<String, Object>> models, int status) {
    return given()
        .contentType(ContentType.JSON)
        .body(device.request(DevDevice.challenge(), models))
        .post("/v1/attestations")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath()
        .getLong("auditSequence");
  }
}
