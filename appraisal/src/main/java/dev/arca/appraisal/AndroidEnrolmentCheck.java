// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.Claims;
import dev.arca.evidence.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an {@code android-key} enrolment pins beyond the device identity, checked against verified
 * claims: the app the attested key belongs to ({@code packageName} among the key's packages, tag
 * 709, and {@code signingCertificateSha256} among their signing-certificate digests), the optional
 * {@code verifiedBootKey} (the key the OS was verified with, hex), and {@code minimumSecurityLevel}
 * ({@code tee}, the default, or {@code strongbox}). Pinned per device in the enrolment rather than
 * by reference-value sets: they name the device's app and OS signer, which every attestation of the
 * device must show, whatever OS build it runs.
 *
 * <p>Failure ids (problem {@code attestation/evidence-invalid}): {@code
 * appraisal.android.package-not-enrolled}, {@code appraisal.android.signer-not-enrolled}, {@code
 * appraisal.android.boot-key-not-enrolled}, {@code appraisal.android.security-level-too-low}.
 */
final class AndroidEnrolmentCheck {
  private static final List<String> LEVELS = List.of("software", "tee", "strongbox");

  private AndroidEnrolmentCheck() {}

  static void check(JsonNode enrolment, Claims claims) throws AppraisalException {
    String packageName = required(enrolment, "packageName");
    String signer = required(enrolment, "signingCertificateSha256").toLowerCase(Locale.ROOT);
    String bootKey = optional(enrolment, "verifiedBootKey");
    String minimum = optional(enrolment, "minimumSecurityLevel");
    minimum = minimum == null ? "tee" : minimum;
    if (!minimum.equals("tee") && !minimum.equals("strongbox")) {
      throw new AppraisalException(
          Rejection.ENROLMENT_UNUSABLE,
          "android-key enrolment 'minimumSecurityLevel' is neither tee nor strongbox");
    }
    List<Failure> failures = new ArrayList<>();
    if (!strings(claims, "applicationPackageNames").contains(packageName)) {
      failures.add(
          new Failure(
              "appraisal.android.package-not-enrolled",
              "the attested key does not belong to the enrolled app " + packageName));
    }
    if (!strings(claims, "applicationSignatureDigests").contains(signer)) {
      failures.add(
          new Failure(
              "appraisal.android.signer-not-enrolled",
              "the attested key's app is not signed by the enrolled signing certificate"));
    }
    if (bootKey != null
        && !bootKey
            .toLowerCase(Locale.ROOT)
            .equals(claims.measurements().getOrDefault("verifiedBootKey", ""))) {
      failures.add(
          new Failure(
              "appraisal.android.boot-key-not-enrolled",
              "the device booted an OS verified with another key than the enrolled one"));
    }
    if (LEVELS.indexOf(claims.securityLevel()) < LEVELS.indexOf(minimum)) {
      failures.add(
          new Failure(
              "appraisal.android.security-level-too-low",
              "the key is in " + claims.securityLevel() + "; the enrolment requires " + minimum));
    }
    if (!failures.isEmpty()) {
      throw new AppraisalException(
          Rejection.EVIDENCE_INVALID,
          failures.size() + " enrolment check(s) failed; see 'failures'",
          Map.of("failures", failures.stream().map(Failure::toJsonMembers).toList()));
    }
  }

  private static List<?> strings(Claims claims, String name) {
    return claims.raw().get(name) instanceof List<?> l ? l : List.of();
  }

  private static String optional(JsonNode enrolment, String field) {
    JsonNode v = enrolment == null ? null : enrolment.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  private static String required(JsonNode enrolment, String field) throws AppraisalException {
    String v = optional(enrolment, field);
    if (v == null || v.isEmpty()) {
      throw new AppraisalException(
          Rejection.ENROLMENT_UNUSABLE, "android-key enrolment has no textual '" + field + "'");
    }
    return v;
  }
}
