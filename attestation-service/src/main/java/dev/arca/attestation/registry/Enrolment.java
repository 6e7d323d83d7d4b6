// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The outcome of an enrolment request: the stored device and, for a device that must still prove
 * its key (TPM), the activation challenge to hand to it.
 *
 * @param device the device as stored ({@code active}, or {@code pending} with an activation)
 * @param activation the credential challenge and its deadline, or null
 */
public record Enrolment(Device device, Activation activation) {

  /**
   * A challenge the device must answer to activate its enrolment.
   *
   * @param credential format-specific challenge (tpm2: {@code idObject}, {@code encryptedSecret})
   * @param expiresAt after this instant the activation is refused
   */
  public record Activation(JsonNode credential, Instant expiresAt) {}
}
