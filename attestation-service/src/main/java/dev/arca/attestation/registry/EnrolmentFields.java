// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.appraisal.EnrolmentTrust;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import java.util.Locale;

/** Reading the fields of an enrolment request, each refusal naming the field. */
final class EnrolmentFields {
  private EnrolmentFields() {}

  /** A textual field, or null when absent or not text. */
  static String text(JsonNode request, String field) {
    JsonNode v = request == null ? null : request.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  /**
   * An EC public key given as base64 X.509 SubjectPublicKeyInfo (DER) in {@code field}.
   *
   * @throws ProblemException {@code invalid-request} or {@code bad-base64} naming the field
   */
  static ECPublicKey ecKey(JsonNode request, String field) {
    byte[] der = Base64Field.decode("enrolment." + field, text(request, field));
    return EnrolmentTrust.ecPublicKey(der)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.INVALID_REQUEST,
                    "enrolment."
                        + field
                        + " must be an EC public key (base64 DER SubjectPublicKeyInfo)"));
  }

  /**
   * Lowercase hex of {@code min..max} bytes in {@code field}.
   *
   * @throws ProblemException {@code invalid-request} naming the field and the sizes
   */
  static byte[] hex(JsonNode request, String field, int min, int max) {
    String v = text(request, field);
    byte[] b = null;
    if (v != null) {
      try {
        b = HexFormat.of().parseHex(v.trim().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        b = null;
      }
    }
    if (b == null || b.length < min || b.length > max) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "enrolment." + field + " must be hex of " + min + " to " + max + " bytes");
    }
    return b;
  }
}
