// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import io.restassured.http.ContentType;
import java.util.Base64;
import java.util.Map;

/** Uploads vendor collateral as {@code device-admin}, as an operator's import would. */
public final class TestCollateral {
  private TestCollateral() {}

  /** Uploads one file; a file already stored (the same bytes) is fine too. */
  public static void upload(String format, String name, byte[] content) {
    int status =
        Api.as("device-admin")
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
            .then()
            .extract()
            .statusCode();
    if (status != 200 && status != 201) {
      throw new IllegalStateException("collateral upload of " + name + " answered " + status);
    }
  }
}
