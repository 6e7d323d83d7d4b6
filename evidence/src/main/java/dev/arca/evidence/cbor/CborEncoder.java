// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cbor;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes CBOR with core deterministic encoding (RFC 8949 section 4.2.1): shortest heads, definite
 * lengths, map keys sorted by their encoded bytes, floats as doubles unless they fit exactly in a
 * single. Used to build COSE {@code Sig_structure}s (RFC 9052 section 4.4) whose bytes must be
 * exactly what the signer hashed.
 */
public final class CborEncoder {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private CborEncoder() {}

  /** The deterministic encoding of {@code value}. */
  public static byte[] encode(CborValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  /** Writes a head: major type and argument in the shortest form (section 3). */
  public static void head(ByteArrayOutputStream out, int major, long arg) {
    int m = major << 5;
    if (arg >= 0 && arg < 24) {
      out.write(m | (int) arg);
    } else if (arg >= 0 && arg <= 0xff) {
      out.write(m | 24);
      out.write((int) arg);
    } else if (arg >= 0 && arg <= 0xffff) {
      out.write(m | 25);
      writeN(out, arg, 2);
    } else if (arg >= 0 && arg <= 0xffffffffL) {
      out.write(m | 26);
      writeN(out, arg, 4);
    } else {
      out.write(m | 27);
      writeN(out, arg, 8);
    }
  }

  /** Writes a byte string. */
  public static void bytes(ByteArrayOutputStream out, byte[] b) {
    head(out, 2, b.length);
    out.writeBytes(b);
  }

  /** Writes a text string. */
  public static void text(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(out, 3, b.length);
    out.writeBytes(b);
  }

  private static void write(ByteArrayOutputStream out, CborValue v) {
    if (v instanceof CborValue.Int i) {
      BigInteger n = i.value();
      if (n.signum() >= 0) {
        head(out, 0, checked64(n).longValue());
      } else {
        head(out, 1, checked64(n.negate().subtract(BigInteger.ONE)).longValue());
      }
    } else if (v instanceof CborValue.Bytes b) {
      bytes(out, b.value());
    } else if (v instanceof CborValue.Text t) {
      text(out, t.value());
    } else if (v instanceof CborValue.Array a) {
      head(out, 4, a.items().size());
      a.items().forEach(item -> write(out, item));
    } else if (v instanceof CborValue.MapValue m) {
      head(out, 5, m.entries().size());
      List<byte[][]> pairs = new ArrayList<>();
      for (Map.Entry<CborValue, CborValue> e : m.entries().entrySet()) {
        pairs.add(new byte[][] {encode(e.getKey()), encode(e.getValue())});
      }
      pairs.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
      for (byte[][] p : pairs) {
        out.writeBytes(p[0]);
        out.writeBytes(p[1]);
      }
    } else if (v instanceof CborValue.Tag t) {
      head(out, 6, t.tag());
      write(out, t.content());
    } else if (v instanceof CborValue.Simple s) {
      if (s.value() < 24) {
        out.write(0xe0 | s.value());
      } else {
        out.write(0xf8);
        out.write(s.value());
      }
    } else if (v instanceof CborValue.Float f) {
      float single = (float) f.value();
      if ((double) single == f.value() || Double.isNaN(f.value())) {
        out.write(0xfa);
        writeN(out, java.lang.Float.floatToIntBits(single) & 0xffffffffL, 4);
      } else {
        out.write(0xfb);
        writeN(out, Double.doubleToLongBits(f.value()), 8);
      }
    }
  }

  private static BigInteger checked64(BigInteger n) {
    if (n.compareTo(TWO_64) >= 0) {
      throw new IllegalArgumentException("CBOR integers have at most 64 bits: " + n);
    }
    return n;
  }

  private static void writeN(ByteArrayOutputStream out, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }
}
