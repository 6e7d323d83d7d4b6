// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import dev.arca.crypto.ArcaCryptoException;

/**
 * A Binary HTTP (RFC 9292) message could not be decoded.
 *
 * <p>Ids: {@value #BAD_FRAMING} (unknown framing indicator, or a request where a response was
 * expected and vice versa), {@value #MALFORMED} (a length or varint runs past the end, a bad status
 * code, an invalid field), {@value #BAD_PADDING} (non-zero bytes after the message), {@value
 * #TOO_LARGE} (a section exceeds the decoder's limit).
 */
public final class BhttpException extends ArcaCryptoException {
  private static final long serialVersionUID = 1L;

  public static final String BAD_FRAMING = "bhttp.bad-framing";
  public static final String MALFORMED = "bhttp.malformed";
  public static final String BAD_PADDING = "bhttp.bad-padding";
  public static final String TOO_LARGE = "bhttp.too-large";

  public BhttpException(String id, String message) {
    super(id, message);
  }
}
