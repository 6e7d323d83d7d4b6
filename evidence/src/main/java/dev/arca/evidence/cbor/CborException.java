// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cbor;

/**
 * CBOR input is not well-formed or not what the reader expected. {@link #reason()} is stable, so a
 * format verifier maps it to its own failure id ({@code <format>.cbor.<reason id>}).
 */
public final class CborException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** The input ends inside an item's head or before a container's items. */
    TRUNCATED("truncated"),
    /** A string length or item count is larger than the input that remains. */
    LENGTH_TOO_LARGE("length-too-large"),
    /** Nesting deeper than the decoder's limit. */
    TOO_DEEP("too-deep"),
    /** Well-formedness violated: reserved additional info, indefinite length, bad UTF-8 ... */
    MALFORMED("malformed"),
    /** Bytes left after the single top-level item. */
    TRAILING_BYTES("trailing-bytes"),
    /** A map has the same key twice (RFC 8949 section 5.6: not valid). */
    DUPLICATE_KEY("duplicate-key"),
    /** Well-formed, but not the type the structure requires. */
    UNEXPECTED_TYPE("unexpected-type");

    private final String id;

    Reason(String id) {
      this.id = id;
    }

    /** The stable id suffix, e.g. {@code truncated}. */
    public String id() {
      return id;
    }
  }

  private final Reason reason;

  public CborException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
