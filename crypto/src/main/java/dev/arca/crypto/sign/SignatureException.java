// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import dev.arca.crypto.ArcaCryptoException;

/**
 * A publisher signature or key could not be used.
 *
 * <p>Ids: {@value #INVALID_SIGNATURE} (the signature does not verify under the named key), {@value
 * #UNKNOWN_KEY} (no key with that id in the key ring, or it was retired), {@value #BAD_KEY} (a key
 * that cannot be decoded or generated), {@value #BAD_KEY_RING} (a key ring document that cannot be
 * parsed).
 */
public final class SignatureException extends ArcaCryptoException {
  private static final long serialVersionUID = 1L;

  public static final String INVALID_SIGNATURE = "sign.invalid-signature";
  public static final String UNKNOWN_KEY = "sign.unknown-key";
  public static final String BAD_KEY = "sign.bad-key";
  public static final String BAD_KEY_RING = "sign.bad-key-ring";

  public SignatureException(String id, String message) {
    super(id, message);
  }

  public SignatureException(String id, String message, Throwable cause) {
    super(id, message, cause);
  }
}
