// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.testing.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ProblemResponsesTest {

  @Test
  void pingAnswers() {
    given().get("/v1/ping").then().statusCode(200).body("status", equalTo("ok"));
  }

  @Test
  void unknownPathIsProblem404() {
    given()
        .get("/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:not-found"));
  }
}
