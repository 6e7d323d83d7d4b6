// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Uploads and activates {@code policies/service-test.yaml} once per run (idempotent). */
public final class TestPolicy {
  private TestPolicy() {}

  public static synchronized void activate() {
    String yaml;
    try (InputStream in = TestPolicy.class.getResourceAsStream("/policies/service-test.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int status =
        Api.as("policy-admin")
            .contentType("application/yaml")
            .body(yaml.getBytes(StandardCharsets.UTF_8))
            .post("/v1/policies")
            .then()
            .extract()
            .statusCode();
    if (status != 201 && status != 409) {
      throw new IllegalStateException("policy upload answered " + status);
    }
    Api.as("policy-admin")
        .post("/v1/policies/service-test/versions/1/activate")
        .then()
        .statusCode(200);
  }
}
