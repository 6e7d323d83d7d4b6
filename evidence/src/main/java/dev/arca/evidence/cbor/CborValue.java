// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cbor;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One decoded CBOR data item (RFC 8949 section 3): integers (major types 0 and 1), byte strings,
 * text strings, arrays, maps, tags and simple values or floats (major type 7). Immutable.
 *
 * <p>The accessors {@code asX()} fail with {@link CborException.Reason#UNEXPECTED_TYPE} when the
 * item is of another type, so a parser reads a structure in a few checked lines.
 */
public sealed interface CborValue {

  /** A short name of this item's type, for messages. */
  String typeName();

  /** This item as an integer. */
  default BigInteger asInteger() throws CborException {
    throw unexpected(this, "integer");
  }

  /** This item as an integer that fits in a {@code long}. */
  default long asLong() throws CborException {
    BigInteger v = asInteger();
    if (v.bitLength() > 63) {
      throw new CborException(
          CborException.Reason.UNEXPECTED_TYPE, "integer " + v + " does not fit in 64 bits");
    }
    return v.longValue();
  }

  /** A copy of this byte string's content. */
  default byte[] asBytes() throws CborException {
    throw unexpected(this, "byte string");
  }

  /** This text string's content. */
  default String asText() throws CborException {
    throw unexpected(this, "text string");
  }

  /** This array's items. */
  default List<CborValue> asArray() throws CborException {
    throw unexpected(this, "array");
  }

  /** This map's entries, in encoded order. */
  default Map<CborValue, CborValue> asMap() throws CborException {
    throw unexpected(this, "map");
  }

  /** The entry of this map with an integer key, if present. */
  default Optional<CborValue> get(long key) throws CborException {
    return Optional.ofNullable(asMap().get(new Int(BigInteger.valueOf(key))));
  }

  /** The entry of this map with a text key, if present. */
  default Optional<CborValue> get(String key) throws CborException {
    return Optional.ofNullable(asMap().get(new Text(key)));
  }

  private static CborException unexpected(CborValue v, String wanted) {
    return new CborException(
        CborException.Reason.UNEXPECTED_TYPE, "expected a " + wanted + ", found " + v.typeName());
  }

  /** An unsigned or negative integer, -2^64 .. 2^64-1. */
  record Int(BigInteger value) implements CborValue {
    public static Int of(long v) {
      return new Int(BigInteger.valueOf(v));
    }

    @Override
    public String typeName() {
      return "integer";
    }

    @Override
    public BigInteger asInteger() {
      return value;
    }
  }

  /** A byte string. */
  record Bytes(byte[] value) implements CborValue {
    public Bytes {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public String typeName() {
      return "byte string";
    }

    @Override
    public byte[] asBytes() {
      return value.clone();
    }

    /** Length without copying. */
    public int length() {
      return value.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "h'" + HexFormat.of().formatHex(value) + "'";
    }
  }

  /** A UTF-8 text string. */
  record Text(String value) implements CborValue {
    @Override
    public String typeName() {
      return "text string";
    }

    @Override
    public String asText() {
      return value;
    }
  }

  /** An array. */
  record Array(List<CborValue> items) implements CborValue {
    public Array {
      items = List.copyOf(items);
    }

    @Override
    public String typeName() {
      return "array";
    }

    @Override
    public List<CborValue> asArray() {
      return items;
    }
  }

  /** A map with unique keys, in encoded order. */
  record MapValue(Map<CborValue, CborValue> entries) implements CborValue {
    public MapValue {
      entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
    }

    @Override
    public String typeName() {
      return "map";
    }

    @Override
    public Map<CborValue, CborValue> asMap() {
      return entries;
    }
  }

  /** A tagged item (major type 6). */
  record Tag(long tag, CborValue content) implements CborValue {
    @Override
    public String typeName() {
      return "tag " + Long.toUnsignedString(tag);
    }
  }

  /** A simple value: false (20), true (21), null (22), undefined (23) or another 0..255. */
  record Simple(int value) implements CborValue {
    public static final Simple FALSE = new Simple(20);
    public static final Simple TRUE = new Simple(21);
    public static final Simple NULL = new Simple(22);

    @Override
    public String typeName() {
      return switch (value) {
        case 20, 21 -> "boolean";
        case 22 -> "null";
        case 23 -> "undefined";
        default -> "simple(" + value + ")";
      };
    }
  }

  /** A half, single or double precision float, widened to double. */
  // Named after the CBOR major-type-7 float item; java.lang.Float is written qualified in this
  // package.
  @SuppressWarnings("JavaLangClash")
  record Float(double value) implements CborValue {
    @Override
    public String typeName() {
      return "float";
    }
  }
}
