// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Base64;
import java.util.Map;

/** Uploads vendor collateral through {@code POST /v1/collateral}, as an operator's import would. */
public final class TestCollateral {
  private TestCollateral() {}

  /** Sends one file as {@code user}; the caller checks the answer. */
  public static ValidatableResponse post(String user, String format, String name, byte[] content) {
    return Api.as(user)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "format",
                format,
                "name",
                name,
                "content",
                Base64.getEncoder().encodeToString(content)))
        .post("/v1/collateral")
        .then();
  }

  /** Uploads one file as {@code device-admin}; a file already stored (same bytes) is fine too. */
  public static void upload(String format, String name, byte[] content) {
    int status = post("device-admin", format, name, content).extract().statusCode();
    if (status != 200 && status != 201) {
      throw new IllegalStateException("collateral upload of " + name + " answered " + status);
    }
  }
}
