// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.evidence.tpm2.TpmtPublic;
import java.security.InvalidKeyException;
import java.util.Base64;

/**
 * What a stored enrolment trusts at appraisal, per evidence format: the service applies it when it
 * verifies evidence, and {@link AppraisalReplay} applies it to the enrolment an entry records, so
 * both are one code path.
 *
 * <p>Built in: {@code dev} ({@code {"publicKey": base64}}: the device's Ed25519 key) and {@code
 * tpm2} ({@code {"akPublic": base64 TPMT_PUBLIC, ...}}: the attestation key that enrolment bound to
 * the EK by credential activation). A format the service enrols by other material adds its mapping
 * here.
 */
public final class EnrolmentTrust {
  private EnrolmentTrust() {}

  /**
   * Adds what {@code enrolment} trusts to {@code context}.
   *
   * @throws AppraisalException {@link Rejection#ENROLMENT_UNUSABLE} for a format without a mapping
   *     or an enrolment that is not usable
   */
  public static void apply(String format, JsonNode enrolment, VerificationContext.Builder context)
      throws AppraisalException {
    switch (format) {
      case "dev" -> {
        try {
          context.trustedKey(DevVerifier.publicKey(bytes(format, enrolment, "publicKey")));
        } catch (InvalidKeyException e) {
          throw new AppraisalException(
              Rejection.ENROLMENT_UNUSABLE, "dev enrolment 'publicKey' is not Ed25519");
        }
      }
      case "tpm2" -> {
        try {
          context.trustedKey(TpmtPublic.parse(bytes(format, enrolment, "akPublic")).toPublicKey());
        } catch (EvidenceException e) {
          throw new AppraisalException(
              Rejection.ENROLMENT_UNUSABLE,
              "tpm2 enrolment 'akPublic' is not a usable TPMT_PUBLIC");
        }
      }
      default ->
          throw new AppraisalException(
              Rejection.ENROLMENT_UNUSABLE,
              "no enrolment mapping for evidence format '" + format + "' in this build");
    }
  }

  /** A base64 field (standard or URL-safe, as the service accepts). */
  private static byte[] bytes(String format, JsonNode enrolment, String field)
      throws AppraisalException {
    JsonNode v = enrolment == null ? null : enrolment.get(field);
    if (v == null || !v.isTextual()) {
      throw new AppraisalException(
          Rejection.ENROLMENT_UNUSABLE, format + " enrolment has no textual '" + field + "'");
    }
    String s = v.asText().trim();
    try {
      return s.indexOf('-') >= 0 || s.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(s)
          : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new AppraisalException(
          Rejection.ENROLMENT_UNUSABLE, format + " enrolment '" + field + "' is not base64");
    }
  }
}
