// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The second step of an enrolment: a challenge for the device (for a TPM, the credential made with
 * TPM2_MakeCredential) and the SHA-256 of the secret that only the genuine device can recover from
 * it. The service keeps only the digest, so a database reader learns nothing that activates.
 *
 * @param challenge what the enrolment answer hands to the device (public: only the TPM holding the
 *     EK can open it)
 * @param secretSha256 SHA-256 of the secret the device must send back
 * @param ttl how long the activation stays possible
 */
public record PendingActivation(JsonNode challenge, byte[] secretSha256, Duration ttl) {
  public PendingActivation {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(ttl, "ttl");
    if (secretSha256.length != 32) {
      throw new IllegalArgumentException("secretSha256 must be a SHA-256 digest");
    }
    secretSha256 = secretSha256.clone();
  }

  @Override
  public byte[] secretSha256() {
    return secretSha256.clone();
  }

  @Override
  public String toString() {
    // The digest is not a secret, but it is an activation check value: print only a prefix.
    return "PendingActivation[digest="
        + HexFormat.of().formatHex(secretSha256, 0, 4)
        + "..., ttl="
        + ttl
        + "]";
  }
}
