// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import dev.arca.crypto.ArcaCryptoException;

/**
 * A key-encryption key could not be found, loaded or used.
 *
 * <p>Ids: {@value #UNKNOWN_URI} (no client supports the key URI, or no such key), {@value
 * #BAD_MASTER_KEY} (master key missing or not 32 bytes), {@value #BAD_KEYSET} (the keyset file does
 * not decrypt under the master key, or is malformed), {@value #DECRYPT_FAILED} (a wrapped value
 * does not decrypt: wrong KEK, wrong associated data, or tampered), {@value #EXISTS} (a KEK of that
 * name exists already: another process, e.g. a replica starting beside this one, made it), {@value
 * #IO} (the keyset file cannot be read or written).
 */
public final class KekException extends ArcaCryptoException {
  private static final long serialVersionUID = 1L;

  public static final String UNKNOWN_URI = "kek.unknown-uri";
  public static final String BAD_MASTER_KEY = "kek.bad-master-key";
  public static final String BAD_KEYSET = "kek.bad-keyset";
  public static final String DECRYPT_FAILED = "kek.decrypt-failed";
  public static final String EXISTS = "kek.exists";
  public static final String IO = "kek.io";

  public KekException(String id, String message) {
    super(id, message);
  }

  public KekException(String id, String message, Throwable cause) {
    super(id, message, cause);
  }
}
