// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import dev.arca.crypto.ArcaCryptoException;

/**
 * An Oblivious HTTP (RFC 9458) message or key configuration was refused.
 *
 * <p>Ids: {@value #BAD_KEY_CONFIG} (malformed key configuration), {@value #UNKNOWN_KEY_ID} (the
 * request names a key id the gateway does not hold), {@value #UNSUPPORTED_ALGORITHM} (KEM, KDF or
 * AEAD not offered by that key configuration), {@value #BAD_MEDIA_TYPE} (content type is not
 * message/ohttp-req, message/ohttp-res or application/ohttp-keys as expected), {@value
 * #BAD_REQUEST} (encapsulated request too short), {@value #BAD_ENCAPSULATION} (the HPKE enc is
 * invalid), {@value #REQUEST_DECRYPT_FAILED} (the request did not authenticate), {@value
 * #BAD_RESPONSE} (encapsulated response too short), {@value #RESPONSE_DECRYPT_FAILED} (the response
 * did not authenticate for this request).
 */
public final class OhttpException extends ArcaCryptoException {
  private static final long serialVersionUID = 1L;

  public static final String BAD_KEY_CONFIG = "ohttp.bad-key-config";
  public static final String UNKNOWN_KEY_ID = "ohttp.unknown-key-id";
  public static final String UNSUPPORTED_ALGORITHM = "ohttp.unsupported-algorithm";
  public static final String BAD_MEDIA_TYPE = "ohttp.bad-media-type";
  public static final String BAD_REQUEST = "ohttp.bad-request";
  public static final String BAD_ENCAPSULATION = "ohttp.bad-encapsulation";
  public static final String REQUEST_DECRYPT_FAILED = "ohttp.request-decrypt-failed";
  public static final String BAD_RESPONSE = "ohttp.bad-response";
  public static final String RESPONSE_DECRYPT_FAILED = "ohttp.response-decrypt-failed";

  public OhttpException(String id, String message) {
    super(id, message);
  }

  public OhttpException(String id, String message, Throwable cause) {
    super(id, message, cause);
  }
}
