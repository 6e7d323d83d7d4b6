// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.util.Base64;

/** Decodes base64 request fields, turning bad input into {@link ProblemType#BAD_BASE64}. */
public final class Base64Field {
  private Base64Field() {}

  /**
   * Decodes standard or URL-safe base64 (padding optional).
   *
   * @throws ProblemException {@link ProblemType#BAD_BASE64} naming the field
   */
  public static byte[] decode(String field, String value) {
    if (value == null) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "field '" + field + "' is required");
    }
    try {
      String v = value.trim();
      return v.indexOf('-') >= 0 || v.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(v)
          : Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.BAD_BASE64, "field '" + field + "' is not valid base64");
    }
  }

  /** Standard base64 with padding. */
  public static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
