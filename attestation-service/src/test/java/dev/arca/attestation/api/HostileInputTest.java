// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to the public and admin APIs: names that would walk out of the package store,
 * deeply nested JSON and YAML, over-long names, bodies over their limits. Each is a 4xx problem
 * naming what is wrong; nothing is written outside the package store and no stack trace reaches the
 * client.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {

  @ConfigProperty(name = "arca.resolved-data-dir")
  String dataDir;

  @Test
  void modelIdsThatWouldLeaveThePackageStoreAreRefused() throws IOException {
    TestModels.Sealed m = TestModels.seal("escape", 1, List.of("synthetic"), 64);
    TestModels.trustPublisher();
    for (String id : List.of(".hidden", "-x", "x".repeat(129))) {
      TestModels.upload(id, m.dataKeyHeader(), m.pkg())
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:invalid-request"));
    }
    // Dot segments and encoded slashes are resolved or refused before any model endpoint runs.
    for (String id : List.of("..", ".", "%2E%2E", "..%2F..%2Fescape", "%2E%2E%2Fescape")) {
      assertThat(
              TestModels.upload(id, m.dataKeyHeader(), m.pkg())
                  .contentType(Problem.MEDIA_TYPE)
                  .extract()
                  .statusCode())
          .as(id)
          .isIn(400, 404);
    }
    try (Stream<Path> files = Files.walk(Path.of(dataDir))) {
      assertThat(files.map(Path::toString))
          .noneMatch(p -> p.endsWith(".sealed") && !p.contains("/packages/"))
          .noneMatch(p -> p.contains("upload-"));
    }
  }

  @Test
  void deeplyNestedJsonIsABadRequest() {
    String nested = "[".repeat(5_000) + "]".repeat(5_000);
    given()
        .contentType(ContentType.JSON)
        .body(nested)
        .post("/v1/attestations")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:bad-json"));
    String deepObject = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
    String body =
        Api.as("device-admin")
            .contentType(ContentType.JSON)
            .body(deepObject)
            .post("/v1/devices")
            .then()
            .statusCode(400)
            .contentType(Problem.MEDIA_TYPE)
            .extract()
            .asString();
    assertThat(body).doesNotContain("Exception").doesNotContain("at java.");
  }

  @Test
  void aDeeplyNestedPolicyIsRefusedWithALocation() {
    String yaml =
        "apiVersion: arca.dev/v1alpha1\nkind: Policy\nmetadata:\n  name: deep\n  version: 1\n"
            + "rules: "
            + "[".repeat(5_000)
            + "]".repeat(5_000)
            + "\n";
    int status =
        Api.as("policy-admin")
            .contentType("application/yaml")
            .body(yaml.getBytes(StandardCharsets.UTF_8))
            .post("/v1/policies")
            .then()
            .contentType(Problem.MEDIA_TYPE)
            .extract()
            .statusCode();
    assertThat(status).isIn(400, 413, 422);
  }

  @Test
  void aFleetsPolicyOverTheJsonLimitIsTakenAndOneOverTheLoadersLimitIsRefused() {
    String fleet = TestPolicy.fleet("fleet-size", 10_000);
    assertThat(fleet.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(1024 * 1024);
    Api.as("policy-admin")
        .contentType("application/yaml")
        .body(fleet.getBytes(StandardCharsets.UTF_8))
        .post("/v1/policies")
        .then()
        .statusCode(201);
    Api.as("policy-admin")
        .contentType("application/yaml")
        .body(new byte[4 * 1024 * 1024 + 1])
        .post("/v1/policies")
        .then()
        .statusCode(413)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:body-too-large"));
    // JSON bodies keep their own limit, on the same path too.
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(new byte[1024 * 1024 + 1])
        .post("/v1/policies")
        .then()
        .statusCode(413);
  }
}
