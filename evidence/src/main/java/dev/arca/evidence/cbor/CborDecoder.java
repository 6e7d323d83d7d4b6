// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cbor;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, allocation-safe CBOR decoder (RFC 8949) for untrusted evidence.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Only definite lengths (indefinite lengths, section 3.2.2, are refused: attestation formats
 *       never use them and they complicate bounds).
 *   <li>No length field can allocate more than the input that remains: a string's length must fit
 *       in the remaining bytes, and an array or map count must not exceed them (every item takes at
 *       least one byte), all checked before anything is allocated.
 *   <li>Nesting (arrays, maps, tags) is limited to {@link #maxDepth}.
 *   <li>Text strings must be valid UTF-8; map keys must be unique (section 5.6); reserved
 *       additional-information values 28..30 and two-byte simple values below 32 are refused.
 *   <li>Exactly one top-level item: trailing bytes are refused.
 * </ul>
 *
 * <p>Heads longer than needed (not "preferred serialization", section 4.1) are accepted: real
 * tokens are checked by signatures over their exact bytes, never over a re-encoding.
 *
 * <p>Thread-safe: the decoder holds only its limit.
 */
public final class CborDecoder {
  /** Nesting limit used by Arca's evidence formats. */
  public static final int DEFAULT_MAX_DEPTH = 16;

  private final int maxDepth;

  public CborDecoder(int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be positive");
    }
    this.maxDepth = maxDepth;
  }

  /** A decoder with {@link #DEFAULT_MAX_DEPTH}. */
  public static CborDecoder strict() {
    return new CborDecoder(DEFAULT_MAX_DEPTH);
  }

  /**
   * Decodes exactly one data item that spans all of {@code input}.
   *
   * @throws CborException when the input is not one well-formed item within the limits above
   */
  public CborValue decode(byte[] input) throws CborException {
    Cursor c = new Cursor(input);
    CborValue v = item(c, 0);
    if (c.pos != input.length) {
      throw new CborException(
          CborException.Reason.TRAILING_BYTES,
          (input.length - c.pos) + " bytes follow the CBOR item at offset " + c.pos);
    }
    return v;
  }

  private CborValue item(Cursor c, int depth) throws CborException {
    if (depth >= maxDepth) {
      throw new CborException(
          CborException.Reason.TOO_DEEP,
          "CBOR nesting deeper than " + maxDepth + " at offset " + c.pos);
    }
    int start = c.pos;
    int initial = c.u8();
    int major = initial >>> 5;
    int info = initial & 0x1f;
    if (major == 7) {
      return simpleOrFloat(c, info, start);
    }
    long arg = argument(c, info, start);
    switch (major) {
      case 0 -> {
        return new CborValue.Int(unsigned(arg));
      }
      case 1 -> {
        return new CborValue.Int(unsigned(arg).add(BigInteger.ONE).negate());
      }
      case 2 -> {
        return new CborValue.Bytes(c.take(length(c, arg, start)));
      }
      case 3 -> {
        return new CborValue.Text(utf8(c.take(length(c, arg, start)), start));
      }
      case 4 -> {
        int n = count(c, arg, 1, start);
        List<CborValue> items = new ArrayList<>(Math.min(n, 16));
        for (int i = 0; i < n; i++) {
          items.add(item(c, depth + 1));
        }
        return new CborValue.Array(items);
      }
      case 5 -> {
        int n = count(c, arg, 2, start);
        Map<CborValue, CborValue> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          int keyAt = c.pos;
          CborValue key = item(c, depth + 1);
          CborValue value = item(c, depth + 1);
          if (entries.putIfAbsent(key, value) != null) {
            throw new CborException(
                CborException.Reason.DUPLICATE_KEY,
                "map key at offset " + keyAt + " appears twice in the map at offset " + start);
          }
        }
        return new CborValue.MapValue(entries);
      }
      default -> {
        // 6: tag
        return new CborValue.Tag(arg, item(c, depth + 1));
      }
    }
  }

  /** The head's argument (section 3): 0..23 inline, or 1, 2, 4, 8 following bytes. */
  private static long argument(Cursor c, int info, int start) throws CborException {
    if (info < 24) {
      return info;
    }
    return switch (info) {
      case 24 -> c.u8();
      case 25 -> c.uN(2);
      case 26 -> c.uN(4);
      case 27 -> c.uN(8);
      case 31 ->
          throw new CborException(
              CborException.Reason.MALFORMED,
              "indefinite length at offset " + start + " is not accepted (definite lengths only)");
      default ->
          throw new CborException(
              CborException.Reason.MALFORMED,
              "reserved additional information " + info + " at offset " + start);
    };
  }

  /** A string length; never larger than what remains, so the copy cannot over-allocate. */
  private static int length(Cursor c, long arg, int start) throws CborException {
    if (arg < 0 || arg > c.remaining()) {
      throw new CborException(
          CborException.Reason.LENGTH_TOO_LARGE,
          "string at offset "
              + start
              + " declares "
              + Long.toUnsignedString(arg)
              + " bytes but only "
              + c.remaining()
              + " remain");
    }
    return (int) arg;
  }

  /** An item count; each item needs at least one byte (two per map entry). */
  private static int count(Cursor c, long arg, int bytesPerItem, int start) throws CborException {
    if (arg < 0 || arg > c.remaining() / bytesPerItem) {
      throw new CborException(
          CborException.Reason.LENGTH_TOO_LARGE,
          "container at offset "
              + start
              + " declares "
              + Long.toUnsignedString(arg)
              + " items but only "
              + c.remaining()
              + " bytes remain");
    }
    return (int) arg;
  }

  private static CborValue simpleOrFloat(Cursor c, int info, int start) throws CborException {
    if (info < 24) {
      return new CborValue.Simple(info);
    }
    switch (info) {
      case 24 -> {
        int v = c.u8();
        if (v < 32) {
          throw new CborException(
              CborException.Reason.MALFORMED,
              "two-byte simple value " + v + " below 32 at offset " + start);
        }
        return new CborValue.Simple(v);
      }
      case 25 -> {
        return new CborValue.Float(halfToDouble((int) c.uN(2)));
      }
      case 26 -> {
        return new CborValue.Float(java.lang.Float.intBitsToFloat((int) c.uN(4)));
      }
      case 27 -> {
        return new CborValue.Float(Double.longBitsToDouble(c.uN(8)));
      }
      case 31 ->
          throw new CborException(
              CborException.Reason.MALFORMED, "unexpected break at offset " + start);
      default ->
          throw new CborException(
              CborException.Reason.MALFORMED,
              "reserved additional information " + info + " at offset " + start);
    }
  }

  /** IEEE 754 binary16 to double (RFC 8949 appendix D). */
  static double halfToDouble(int half) {
    int exp = (half >> 10) & 0x1f;
    int mant = half & 0x3ff;
    double val;
    if (exp == 0) {
      val = Math.scalb((double) mant, -24);
    } else if (exp != 31) {
      val = Math.scalb((double) (mant + 1024), exp - 25);
    } else {
      val = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    return (half & 0x8000) != 0 ? -val : val;
  }

  private static BigInteger unsigned(long v) {
    return v >= 0 ? BigInteger.valueOf(v) : new BigInteger(Long.toUnsignedString(v));
  }

  private static String utf8(byte[] bytes, int start) throws CborException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CborException(
          CborException.Reason.MALFORMED, "text string at offset " + start + " is not UTF-8");
    }
  }

  /** A read position over the input; every read is bounds-checked. */
  private static final class Cursor {
    private final byte[] in;
    private int pos;

    Cursor(byte[] in) {
      this.in = in;
    }

    int remaining() {
      return in.length - pos;
    }

    int u8() throws CborException {
      need(1);
      return in[pos++] & 0xff;
    }

    long uN(int n) throws CborException {
      need(n);
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    byte[] take(int n) {
      byte[] out = java.util.Arrays.copyOfRange(in, pos, pos + n);
      pos += n;
      return out;
    }

    private void need(int n) throws CborException {
      if (remaining() < n) {
        throw new CborException(
            CborException.Reason.TRUNCATED,
            "the input ends at offset " + in.length + " inside a CBOR item head");
      }
    }
  }
}
