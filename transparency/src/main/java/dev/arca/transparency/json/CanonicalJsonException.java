// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.json;

import dev.arca.transparency.TransparencyException;

/**
 * A JSON value that has no canonical form here, or bytes that are not canonical. Ids: {@code
 * json.float} (non-integer number), {@code json.integer-range} (beyond +-(2^53 - 1)), {@code
 * json.unpaired-surrogate}, {@code json.unsupported}, {@code json.syntax}, {@code
 * json.duplicate-key}, {@code json.not-canonical}.
 */
public final class CanonicalJsonException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  /** See {@link TransparencyException#TransparencyException(String, String)}. */
  public CanonicalJsonException(String id, String message) {
    super(id, message);
  }
}
