package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A runtime started with {@code --insecure} (a debugger or agent allowed) records each finding in
 * its measurement log, which the evidence binds; the service then releases no key at all, for any
 * data class ({@code attestation/insecure-runtime}), and the rejection replays in the audit log.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class InsecureRuntimeTest {

  @Test
  void aRuntimeThatStartedInsecureGetsNoKey() {
    TestPolicy.activate();
    TestModels.publish(TestModels.seal("insecure-model", 1, List.of("synthetic"), 64))
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
    given()
        .contentType(ContentType.JSON)
        .body(device.request(DevDevice.challenge(), List.of(model("insecure-model", "synthetic"))))
        .post("/v1/attestations")
        .then()
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:attestation/insecure-runtime"))
        .body("insecure", hasItem("runtime.debug-agent"))
        .body("grants", nullValue());
  }
}
