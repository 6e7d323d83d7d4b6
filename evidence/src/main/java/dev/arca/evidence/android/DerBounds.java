// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import dev.arca.evidence.EvidenceException;

/**
 * Walks DER tag-length-value structures before Bouncy Castle sees them, so that a length field
 * larger than the bytes that follow gets its own failure id ({@code <prefix>.length-too-large})
 * instead of a generic parse error, a structure cut short fails with {@code <prefix>.truncated},
 * and nesting depth is bounded. Allocates nothing.
 */
final class DerBounds {
  /** KeyDescription nests five levels; anything far deeper is not a key description. */
  static final int MAX_DEPTH = 24;

  private final byte[] der;
  private final String prefix;
  private final int maxLength;

  private DerBounds(byte[] der, String prefix, int maxLength) {
    this.der = der;
    this.prefix = prefix;
    this.maxLength = maxLength;
  }

  /**
   * Checks that {@code der} is exactly one DER element whose nested lengths all fit.
   *
   * @param maxLength largest length the outermost element may announce
   * @throws EvidenceException {@code <prefix>.length-too-large} when a nested length passes its
   *     container's end or the outer length exceeds {@code maxLength}; {@code <prefix>.truncated}
   *     when the input ends before the outer element does; {@code <prefix>.malformed} for other
   *     encoding errors
   */
  static void check(byte[] der, String prefix, int maxLength) throws EvidenceException {
    DerBounds b = new DerBounds(der, prefix, maxLength);
    int end = b.element(0, der.length, 0);
    if (end != der.length) {
      throw new EvidenceException(
          prefix + ".malformed", (der.length - end) + " bytes follow the DER structure");
    }
  }

  /** Checks the element at {@code pos} within {@code limit}; returns the offset after it. */
  private int element(int pos, int limit, int depth) throws EvidenceException {
    if (depth > MAX_DEPTH) {
      throw new EvidenceException(prefix + ".malformed", "DER nested deeper than " + MAX_DEPTH);
    }
    if (pos >= limit) {
      throw truncated();
    }
    int tag = der[pos++] & 0xff;
    boolean constructed = (tag & 0x20) != 0;
    if ((tag & 0x1f) == 0x1f) { // high tag number: base-128 continuation bytes
      int n = 0;
      do {
        if (pos >= limit) {
          throw truncated();
        }
        if (++n > 4) {
          throw new EvidenceException(prefix + ".malformed", "DER tag number too large");
        }
      } while ((der[pos++] & 0x80) != 0);
    }
    if (pos >= limit) {
      throw truncated();
    }
    int first = der[pos++] & 0xff;
    long length;
    if (first < 0x80) {
      length = first;
    } else if (first == 0x80) {
      throw new EvidenceException(prefix + ".malformed", "indefinite length is not DER");
    } else {
      int n = first & 0x7f;
      if (n > 4) {
        throw new EvidenceException(
            prefix + ".length-too-large", "a DER length field of " + n + " bytes");
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        if (pos >= limit) {
          throw truncated();
        }
        length = (length << 8) | (der[pos++] & 0xff);
      }
    }
    if (depth == 0 && length > maxLength) {
      throw new EvidenceException(
          prefix + ".length-too-large",
          "a DER length of " + length + " bytes; at most " + maxLength + " are accepted");
    }
    if (depth == 0 && length > limit - pos) {
      // The outermost element announces more than was received: the input was cut short.
      throw truncated();
    }
    if (length > limit - pos) {
      throw new EvidenceException(
          prefix + ".length-too-large",
          "a DER length of " + length + " bytes passes the end (" + (limit - pos) + " left)");
    }
    int end = pos + (int) length;
    if (constructed) {
      int p = pos;
      while (p < end) {
        p = element(p, end, depth + 1);
      }
    }
    return end;
  }

  private EvidenceException truncated() {
    return new EvidenceException(prefix + ".truncated", "the DER structure is truncated");
  }
}
