// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.attestation.keyrelease.Grant;
import java.util.List;

/**
 * {@code POST /v1/attestations} answer.
 *
 * @param token the EAR attestation result (JWT, ES256; verify with {@code /.well-known/jwks.json})
 * @param grants one per permitted model version
 * @param denials one per model that was not permitted, with the deciding rules
 * @param auditSequence the audit entry recording this decision
 * @param auditReceipt that entry's transparency-log receipt (index, signed checkpoint, inclusion
 *     proof) for the device to keep
 */
public record AttestationResult(
    String token,
    String status,
    List<Grant> grants,
    List<Denial> denials,
    long auditSequence,
    com.fasterxml.jackson.databind.JsonNode auditReceipt) {

  /** A model that was not granted. */
  public record Denial(String modelId, Long version, String reason, List<String> rules) {}
}
