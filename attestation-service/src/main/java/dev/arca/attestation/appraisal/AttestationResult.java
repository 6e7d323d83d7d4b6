package dev.arca.attestation.appraisal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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

  /**
   * A key release.
   *
   * @param manifestDigest hex SHA-256 of the signed manifest
   * @param dataClasses the data classes policy permitted for this version (a subset of the
   *     manifest's); the runtime serves no other
   * @param wrappedKey base64 of the crypto module's {@code WrappedKey} encoding: the model's data
   *     key sealed with HPKE to the runtime key, info {@code KeyReleaseInfo(grantId, modelId,
   *     version, manifestDigest)} (docs/api.md)
   */
  public record Grant(
      String grantId,
      String modelId,
      long version,
      String manifestDigest,
      List<String> dataClasses,
      String wrappedKey,
      Instant leaseExpiresAt,
      Instant offlineUntil,
      Map<String, Object> obligations,
      String packageUrl) {}

  /** A model that was not granted. */
  public record Denial(String modelId, Long version, String reason, List<String> rules) {}
}
