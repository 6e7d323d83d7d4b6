// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.evidence.tpm2.TpmtPublic;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * What a stored enrolment trusts at appraisal, per evidence format: the service applies it when it
 * verifies evidence, and {@link AppraisalReplay} applies it to the enrolment an entry records, so
 * both are one code path.
 *
 * <p>Built in: {@code dev} ({@code {"publicKey": base64}}: the device's Ed25519 key) and {@code
 * tpm2} ({@code {"akPublic": base64 TPMT_PUBLIC, ...}}: the attestation key that enrolment bound to
 * the EK by credential activation), {@code psa} ({@code {"iakPublicKey": base64 SPKI}}: the
 * device's Initial Attestation Key, the only key its tokens verify with), {@code cca} ({@code
 * {"platformPublicKey": base64 SPKI, ...}}: the CCA platform attestation key), and {@code nitro},
 * {@code sev-snp} and {@code tdx} (nothing from the enrolment: evidence chains to the pinned AWS,
 * AMD or Intel root, and the appraisal's identity check pins the enclave's {@code module_id}, the
 * chip id or the platform's PPID), and {@code android-key} (nothing to the context: chains end at a
 * pinned Google root, and the identity check pins the ID-attested brand, model and serial; {@link
 * #checkClaims} then checks the enrolled app, boot key and security level). A format the service
 * enrols by other material adds its mapping here.
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
      case "psa" -> context.trustedKey(ecKey(format, enrolment, "iakPublicKey"));
      case "cca" -> context.trustedKey(ecKey(format, enrolment, "platformPublicKey"));
      case "nitro", "sev-snp", "tdx", "android-key" -> {
        // Rooted in the vendor root the verifier pins (AWS, AMD, Intel, Google); the enrolment
        // adds no key, and the appraisal's identity check pins the module id, chip id, PPID or
        // ID-attested device (android-key's app, boot key and security level: checkClaims).
      }
      default ->
          throw new AppraisalException(
              Rejection.ENROLMENT_UNUSABLE,
              "no enrolment mapping for evidence format '" + format + "' in this build");
    }
  }

  /**
   * Checks what {@code enrolment} pins in verified {@code claims} beyond the device identity (only
   * {@code android-key} pins more: see {@link AndroidEnrolmentCheck}).
   *
   * @throws AppraisalException {@link Rejection#EVIDENCE_INVALID} naming each failed check, or
   *     {@link Rejection#ENROLMENT_UNUSABLE} for an enrolment that lacks what it must pin
   */
  public static void checkClaims(String format, JsonNode enrolment, Claims claims)
      throws AppraisalException {
    if (format.equals("android-key")) {
      AndroidEnrolmentCheck.check(enrolment, claims);
    }
  }

  /**
   * An EC public key (X.509 SubjectPublicKeyInfo, base64), as PSA and CCA attestation keys are.
   *
   * @throws AppraisalException {@link Rejection#ENROLMENT_UNUSABLE} when it is not one
   */
  public static ECPublicKey ecKey(String format, JsonNode enrolment, String field)
      throws AppraisalException {
    return ecPublicKey(bytes(format, enrolment, field))
        .orElseThrow(
            () ->
                new AppraisalException(
                    Rejection.ENROLMENT_UNUSABLE,
                    format + " enrolment '" + field + "' is not an EC SubjectPublicKeyInfo"));
  }

  /**
   * An EC public key from X.509 SubjectPublicKeyInfo DER, or empty when {@code der} is not one;
   * enrolment checks keys with it, so it accepts exactly what appraisal will trust.
   */
  public static Optional<ECPublicKey> ecPublicKey(byte[] der) {
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der))
              instanceof ECPublicKey ec
          ? Optional.of(ec)
          : Optional.empty();
    } catch (GeneralSecurityException e) {
      return Optional.empty();
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
