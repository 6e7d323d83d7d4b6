// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import java.util.Locale;

/** Oblivious HTTP media types (RFC 9458 section 9) and their checks. */
public final class MediaTypes {
  /** An encapsulated request. */
  public static final String REQUEST = "message/ohttp-req";

  /** An encapsulated response. */
  public static final String RESPONSE = "message/ohttp-res";

  /** A list of key configurations. */
  public static final String KEYS = "application/ohttp-keys";

  private MediaTypes() {}

  /**
   * Checks a Content-Type header value against {@code expected} (case-insensitive; parameters are
   * not allowed on these types).
   *
   * @throws OhttpException {@code ohttp.bad-media-type}
   */
  public static void require(String expected, String contentType) throws OhttpException {
    String v = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
    if (!v.equals(expected)) {
      throw new OhttpException(
          OhttpException.BAD_MEDIA_TYPE,
          "content type must be "
              + expected
              + ", got '"
              + (contentType == null
                  ? ""
                  : contentType.substring(0, Math.min(64, contentType.length())))
              + "'");
    }
  }
}
