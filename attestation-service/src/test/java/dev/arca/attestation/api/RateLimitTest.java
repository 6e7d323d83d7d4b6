// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.FromAddress;
import dev.arca.attestation.testing.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Floods are answered {@code 429 rate-limited} (problem+json) with a {@code Retry-After} in
 * seconds, with the default limits of {@code application.properties}: challenges per client
 * address, attestations per client address and per device. Each flood comes from a loopback address
 * of its own, so it only limits itself.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RateLimitTest {

  @Test
  void aFloodOfChallengesFromOneAddressIsLimited() {
    Response limited =
        firstLimited(100, i -> FromAddress.of("127.0.0.21").post("/v1/challenges"), 60);
    assertRateLimited(limited);
    // Another address is not affected.
    given().post("/v1/challenges").then().statusCode(200);
  }

  @Test
  void aFloodOfAttestationsForOneDeviceIsLimited() {
    DevDevice d = new DevDevice("flood-device");
    Response limited = firstLimited(60, i -> forgedAttestation("127.0.0.22", d), 30);
    assertRateLimited(limited);
    // The same address for another device is still heard (and told its nonce is forged).
    forgedAttestation("127.0.0.22", new DevDevice("flood-device-other")).then().statusCode(400);
  }

  @Test
  void aFloodOfAttestationsFromOneAddressIsLimitedWhateverTheDeviceIds() {
    Response limited =
        firstLimited(
            100, i -> forgedAttestation("127.0.0.23", new DevDevice("flood-many-" + i)), 60);
    assertRateLimited(limited);
  }

  /**
   * Sends up to {@code max} requests and returns the first answered 429, after checking that at
   * least {@code allowed} were let through before it (the bucket's capacity).
   */
  private static Response firstLimited(int max, IntFunction<Response> send, int allowed) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      Response r = send.apply(i);
      if (r.statusCode() == 429) {
        assertThat(statuses).hasSizeGreaterThanOrEqualTo(allowed).doesNotContain(429, 500, 503);
        return r;
      }
      statuses.add(r.statusCode());
    }
    throw new AssertionError("no 429 after " + max + " requests: " + statuses);
  }

  private static void assertRateLimited(Response r) {
    r.then()
        .contentType(Problem.MEDIA_TYPE)
        .body("type", org.hamcrest.Matchers.equalTo("urn:arca:problem:rate-limited"))
        .body("status", org.hamcrest.Matchers.equalTo(429));
    String retryAfter = r.header("Retry-After");
    assertThat(retryAfter).as("Retry-After").isNotNull().matches("[1-9][0-9]*");
    assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
  }

  private static Response forgedAttestation(String from, DevDevice d) {
    byte[] forged = new byte[56];
    return FromAddress.of(from)
        .contentType(ContentType.JSON)
        .body(d.request(forged, new byte[64], List.of(model("flood-model", "synthetic"))))
        .post("/v1/attestations");
  }
}
