// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.ReplayException;
import dev.arca.attestation.testing.AuditorReplay;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A runtime started with {@code --insecure} (a debugger or agent allowed) records each finding in
 * its measurement log, which the evidence binds; the service then releases no key at all, for any
 * data class ({@code attestation/insecure-runtime}), and the rejection replays from the audit log:
 * the auditor's re-run of the kept evidence and log reaches the same refusal, and would notice a
 * log that recorded another.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class InsecureRuntimeTest {
  private static final String INSECURE = "attestation/insecure-runtime";

  @Test
  void aRuntimeThatStartedInsecureGetsNoKeyAndTheRefusalReplays() throws Exception {
    TestPolicy.activate();
    TestModels.publish(TestModels.seal("insecure-model", 1, List.of("synthetic", "phi"), 64))
        .then()
        .statusCode(201);
    DevDevice device =
        new DevDevice(
            "insecure-edge-1",
            ("ab12".repeat(16)
                    + " jar:arca-cli.jar\n"
                    + "cd34".repeat(16)
                    + " insecure:runtime.debug-agent\n")
                .getBytes(StandardCharsets.UTF_8));
    device.enrol(Map.of());
    ValidatableResponse r =
        given()
            .contentType(ContentType.JSON)
            .body(
                device.request(
                    DevDevice.challenge(),
                    List.of(model("insecure-model", "synthetic"), model("insecure-model", "phi"))))
            .post("/v1/attestations")
            .then()
            .body("insecure", hasItem("runtime.debug-agent"));
    JsonNode entry = Refusals.refused(r, 403, INSECURE, device.id);
    JsonNode detail = entry.at("/facts/detail");
    AppraisalReplay replay = AuditorReplay.builtin();
    // The kept evidence and log are appraised again and refused again, for the same reason.
    assertThat(replay.replay("attestation.rejected", INSECURE, detail))
        .isEqualTo(AppraisalReplay.Depth.EVIDENCE);
    // An entry claiming another refusal for the same evidence does not replay.
    assertThatThrownBy(
            () -> replay.replay("attestation.rejected", "attestation/reference-mismatch", detail))
        .isInstanceOf(ReplayException.class);
  }
}
