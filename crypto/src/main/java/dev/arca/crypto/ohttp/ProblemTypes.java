// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

/**
 * Problem types (RFC 9457) that Oblivious HTTP defines for answers a gateway cannot encapsulate.
 */
public final class ProblemTypes {
  /**
   * RFC 9458 section 5.3: the encapsulated request used a key configuration the gateway does not
   * (or no longer) hold, e.g. an unknown key id. Sent as a 400 {@code application/problem+json}
   * outside the encapsulation; the client fetches the key configuration again. Registered in IANA's
   * HTTP Problem Types registry.
   */
  public static final String KEY_CONFIG =
      "https://iana.org/assignments/http-problem-types#ohttp-key";

  private ProblemTypes() {}
}
