// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.usage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /v1/devices/{id}/usage} body: signed usage reports, oldest first.
 *
 * @param reports each report's bytes and the runtime's signature over them, base64
 */
public record UsageUpload(
    @NotNull @Size(min = 1, max = UsageUpload.MAX_REPORTS) List<@Valid @NotNull Signed> reports) {

  /** The most reports one upload carries. */
  public static final int MAX_REPORTS = 64;

  /**
   * One signed report.
   *
   * @param report the report's JSON bytes ({@code dev.arca.evidence.usage.UsageReport}), base64
   * @param signature the Ed25519 signature of the runtime's usage key over them, base64
   */
  public record Signed(
      @NotBlank @Size(max = 180_000) String report, @NotBlank @Size(max = 100) String signature) {}
}
