// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A checked enrolment.
 *
 * @param identity the device identity the format's verifier reports in {@code
 *     Claims#deviceIdentity()} for this device; unique across devices
 * @param enrolment the public material to store (keys, certificates); never a secret
 * @param activation what the device must still prove before it may attest (a TPM's credential
 *     activation), or null when the enrolment is complete at once
 */
public record EnrolledIdentity(String identity, JsonNode enrolment, PendingActivation activation) {
  public EnrolledIdentity {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(enrolment, "enrolment");
  }

  /** An enrolment that is complete at once (no activation step). */
  public EnrolledIdentity(String identity, JsonNode enrolment) {
    this(identity, enrolment, null);
  }
}
