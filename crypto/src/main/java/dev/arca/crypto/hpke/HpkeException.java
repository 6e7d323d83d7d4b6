// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import dev.arca.crypto.ArcaCryptoException;

/**
 * An HPKE (RFC 9180) operation failed.
 *
 * <p>Ids: {@value #BAD_ENCAPSULATION} (enc of the wrong length, or a DH result of all zeros, RFC
 * 9180 section 7.1.4), {@value #BAD_KEY} (a key of the wrong length or kind), {@value #OPEN_FAILED}
 * (the ciphertext or its associated data did not authenticate under this context: tampered, wrong
 * recipient key, wrong info, wrong PSK or sender key), {@value #BAD_PSK} (PSK inputs inconsistent
 * with the mode, section 5.1), {@value #UNSUPPORTED_SUITE}, {@value #MESSAGE_LIMIT} (sequence
 * number exhausted, section 5.2), {@value #EXPORT_ONLY} (seal/open on an export-only suite).
 */
public final class HpkeException extends ArcaCryptoException {
  private static final long serialVersionUID = 1L;

  public static final String BAD_ENCAPSULATION = "hpke.bad-encapsulation";
  public static final String BAD_KEY = "hpke.bad-key";
  public static final String OPEN_FAILED = "hpke.open-failed";
  public static final String BAD_PSK = "hpke.bad-psk";
  public static final String UNSUPPORTED_SUITE = "hpke.unsupported-suite";
  public static final String MESSAGE_LIMIT = "hpke.message-limit";
  public static final String EXPORT_ONLY = "hpke.export-only";

  public HpkeException(String id, String message) {
    super(id, message);
  }

  public HpkeException(String id, String message, Throwable cause) {
    super(id, message, cause);
  }

  /** {@value #OPEN_FAILED}: the AEAD rejected a ciphertext. */
  static HpkeException openFailed(Throwable cause) {
    return new HpkeException(
        OPEN_FAILED,
        "ciphertext did not authenticate (tampered, wrong key, or wrong associated data)",
        cause);
  }
}
