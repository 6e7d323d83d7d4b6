// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.evidence.sevsnp.TestSevSnpReports;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** Uploads vendor collateral through {@code POST /v1/collateral}, as an operator's import would. */
public final class TestCollateral {
  private TestCollateral() {}

  /**
   * A Milan SEV-SNP TCB baseline ({@code snp_tcb_baseline.json}) that {@link TestSevSnpReports}'
   * reports and the real Milan vector meet exactly (bootloader 2, TEE 0, SNP 5, microcode 68),
   * valid from 2026-01-01 to 2036-01-01. Every service test that uploads a Milan baseline uploads
   * these bytes, so the tests sharing one database never see each other's baseline differ (nor
   * SEV-SNP devices turn out of date).
   */
  public static byte[] milanTcbBaseline() {
    return TestSevSnpReports.baselineJson(
        TestSevSnpReports.reportedTcb(),
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2036-01-01T00:00:00Z"),
        "TCB of the test reports");
  }

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
