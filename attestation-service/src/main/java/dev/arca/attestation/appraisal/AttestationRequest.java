// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /v1/attestations} body. Binary fields are base64 (standard or URL-safe).
 *
 * @param evidence the format's evidence; its report data must be SHA-256(nonce || runtimePublicKey
 *     || SHA-256(measurementLog))
 * @param nonce the nonce from {@code POST /v1/challenges}
 * @param runtimePublicKey the runtime's HPKE X25519 public key (32 bytes)
 * @param measurementLog the runtime's measurement log (may be empty)
 * @param models the model versions asked for, each with the data class it will process
 * @param usageKey the runtime's Ed25519 usage-report key (32 bytes), or absent; when present the
 *     report data is SHA-256(nonce || runtimePublicKey || SHA-256(measurementLog) || usageKey), and
 *     reports signed with it are accepted from this device ({@code POST /v1/devices/{id}/usage})
 */
public record AttestationRequest(
    @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+") String deviceId,
    @NotBlank @Size(max = 32) String format,
    @NotBlank @Size(max = 700_000) String evidence,
    @NotBlank @Size(max = 200) String nonce,
    @NotBlank @Size(max = 100) String runtimePublicKey,
    @Size(max = 300_000) String measurementLog,
    @NotNull @Size(min = 1, max = 32) List<@Valid @NotNull ModelRequest> models,
    @Size(max = 100) String usageKey) {

  /**
   * One requested model.
   *
   * @param version a specific version, or null for the newest published one
   * @param dataClass the class of data the runtime will process with it (e.g. {@code phi})
   * @param purpose why (e.g. {@code inference}, {@code research}); {@code inference} when absent
   */
  public record ModelRequest(
      @NotBlank @Size(max = 128) String modelId,
      Long version,
      @NotBlank @Size(max = 64) String dataClass,
      @Size(max = 64) String purpose) {
    /** The purpose, defaulting to {@code inference}. */
    public String purposeOrDefault() {
      return purpose == null || purpose.isBlank() ? "inference" : purpose;
    }
  }
}
