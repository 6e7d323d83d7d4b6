// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.Map;
import java.util.Objects;

/**
 * What the verifier established from the device's evidence (after signature, chain and freshness
 * checks passed). Policies see it as {@code evidence}.
 *
 * @param format evidence format id, e.g. {@code tpm2}, {@code sev-snp}, {@code tdx}, {@code nitro},
 *     {@code android-key}, {@code dev} ({@code evidence.format})
 * @param hardwareRooted whether the evidence is signed by a key rooted in hardware and checked
 *     against a pinned vendor root; {@code false} for the software {@code dev} attester ({@code
 *     evidence.hardwareRooted})
 * @param debug whether the platform or TEE reports a debug mode ({@code evidence.debug})
 * @param tcbStatus TCB currency ({@code evidence.tcbStatus})
 * @param measurements measurement name to lowercase hex digest, e.g. {@code pcr.sha256.23} or
 *     SEV-SNP {@code measurement} ({@code evidence.measurements})
 * @param earStatus overall appraisal status ({@code evidence.earStatus})
 * @param trustVector AR4SI trustworthiness claims (draft-ietf-rats-ear section 3.2), e.g. {@code
 *     hardware -> 2}, {@code executables -> 2} ({@code evidence.trustVector})
 * @param claims the verified raw claims of the format (e.g. {@code Claims.raw()} of the evidence
 *     module), converted to CEL values: strings, booleans, integers (to long; unsigned 64-bit to
 *     CEL uint), decimals (to double), {@code byte[]} (to bytes), {@code Instant} (timestamp),
 *     lists and string-keyed maps, at most 32 levels deep; null values are dropped ({@code
 *     evidence.claims})
 */
// {@code measurement} names the SEV-SNP report field, not the parameter measurements.
@SuppressWarnings("InvalidParam")
public record EvidenceFacts(
    String format,
    boolean hardwareRooted,
    boolean debug,
    TcbStatus tcbStatus,
    Map<String, String> measurements,
    EarStatus earStatus,
    Map<String, Integer> trustVector,
    Map<String, Object> claims) {

  /**
   * @throws NullPointerException if any field is null
   * @throws IllegalArgumentException if a claim holds a value CEL cannot represent
   */
  public EvidenceFacts {
    Objects.requireNonNull(format, "evidence.format");
    Objects.requireNonNull(tcbStatus, "evidence.tcbStatus");
    measurements = Map.copyOf(Objects.requireNonNull(measurements, "evidence.measurements"));
    Objects.requireNonNull(earStatus, "evidence.earStatus");
    trustVector = Map.copyOf(Objects.requireNonNull(trustVector, "evidence.trustVector"));
    claims = ClaimValues.normalizeMap(Objects.requireNonNull(claims, "evidence.claims"), "claims");
  }

  /**
   * Starts a builder. {@code format}, {@code hardwareRooted}, {@code debug}, {@code tcbStatus} and
   * {@code earStatus} must be set (no default is safe for them); the maps default to empty.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link EvidenceFacts}. */
  public static final class Builder {
    private String format;
    private Boolean hardwareRooted;
    private Boolean debug;
    private TcbStatus tcbStatus;
    private Map<String, String> measurements = Map.of();
    private EarStatus earStatus;
    private Map<String, Integer> trustVector = Map.of();
    private Map<String, Object> claims = Map.of();

    private Builder() {}

    public Builder format(String value) {
      this.format = value;
      return this;
    }

    public Builder hardwareRooted(boolean value) {
      this.hardwareRooted = value;
      return this;
    }

    public Builder debug(boolean value) {
      this.debug = value;
      return this;
    }

    public Builder tcbStatus(TcbStatus value) {
      this.tcbStatus = value;
      return this;
    }

    public Builder measurements(Map<String, String> value) {
      this.measurements = value;
      return this;
    }

    public Builder earStatus(EarStatus value) {
      this.earStatus = value;
      return this;
    }

    public Builder trustVector(Map<String, Integer> value) {
      this.trustVector = value;
      return this;
    }

    public Builder claims(Map<String, ?> value) {
      this.claims = ClaimValues.normalizeMap(value, "claims");
      return this;
    }

    /**
     * Builds the facts.
     *
     * @throws IllegalStateException if a required field was not set
     */
    public EvidenceFacts build() {
      Required.check(format, "evidence.format");
      Required.check(hardwareRooted, "evidence.hardwareRooted");
      Required.check(debug, "evidence.debug");
      Required.check(tcbStatus, "evidence.tcbStatus");
      Required.check(earStatus, "evidence.earStatus");
      return new EvidenceFacts(
          format, hardwareRooted, debug, tcbStatus, measurements, earStatus, trustVector, claims);
    }
  }
}
