// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary HTTP (RFC 9292) encoding and decoding: the payload format of Oblivious HTTP requests and
 * responses. Decodes all four framings (known and indeterminate length, request and response),
 * truncated messages (section 3.8: a message may end where a section would start) and zero padding;
 * encodes the known-length form. Field names and values are kept as ISO-8859-1 strings so every
 * byte survives a round trip. Stateless and thread-safe.
 */
public final class BinaryHttp {
  private static final int KNOWN_REQUEST = 0;
  private static final int KNOWN_RESPONSE = 1;
  private static final int INDETERMINATE_REQUEST = 2;
  private static final int INDETERMINATE_RESPONSE = 3;

  private BinaryHttp() {}

  /**
   * Decodes a request of either framing.
   *
   * @throws BhttpException {@code bhttp.bad-framing}, {@code bhttp.malformed}, {@code
   *     bhttp.bad-padding}
   */
  public static BhttpRequest decodeRequest(byte[] message) throws BhttpException {
    Reader r = new Reader(message);
    long framing = r.varint("framing indicator");
    if (framing != KNOWN_REQUEST && framing != INDETERMINATE_REQUEST) {
      throw new BhttpException(
          BhttpException.BAD_FRAMING, "framing indicator " + framing + " is not a request");
    }
    boolean known = framing == KNOWN_REQUEST;
    String method = r.string("method");
    String scheme = r.string("scheme");
    String authority = r.string("authority");
    String path = r.string("path");
    List<Field> fields = r.atEnd() ? List.of() : r.fields(known, "header section");
    byte[] content = r.atEnd() ? new byte[0] : r.content(known);
    List<Field> trailers = r.atEnd() ? List.of() : r.fields(known, "trailer section");
    r.padding();
    try {
      return new BhttpRequest(method, scheme, authority, path, fields, content, trailers);
    } catch (IllegalArgumentException e) {
      throw new BhttpException(BhttpException.MALFORMED, e.getMessage());
    }
  }

  /**
   * Decodes a response of either framing.
   *
   * @throws BhttpException {@code bhttp.bad-framing}, {@code bhttp.malformed}, {@code
   *     bhttp.bad-padding}
   */
  public static BhttpResponse decodeResponse(byte[] message) throws BhttpException {
    Reader r = new Reader(message);
    long framing = r.varint("framing indicator");
    if (framing != KNOWN_RESPONSE && framing != INDETERMINATE_RESPONSE) {
      throw new BhttpException(
          BhttpException.BAD_FRAMING, "framing indicator " + framing + " is not a response");
    }
    boolean known = framing == KNOWN_RESPONSE;
    List<BhttpResponse.Informational> informational = new ArrayList<>();
    long status;
    while (true) {
      status = r.varint("status");
      if (status >= 100 && status <= 199) {
        informational.add(
            new BhttpResponse.Informational((int) status, r.fields(known, "informational fields")));
        continue;
      }
      if (status < 200 || status > 599) {
        throw new BhttpException(BhttpException.MALFORMED, "status " + status + " is invalid");
      }
      break;
    }
    List<Field> fields = r.atEnd() ? List.of() : r.fields(known, "header section");
    byte[] content = r.atEnd() ? new byte[0] : r.content(known);
    List<Field> trailers = r.atEnd() ? List.of() : r.fields(known, "trailer section");
    r.padding();
    return new BhttpResponse(informational, (int) status, fields, content, trailers);
  }

  /** Encodes a request in the known-length form (every section present, no padding). */
  public static byte[] encode(BhttpRequest request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, KNOWN_REQUEST);
    writeString(out, request.method());
    writeString(out, request.scheme());
    writeString(out, request.authority());
    writeString(out, request.path());
    writeFields(out, request.fields());
    byte[] content = request.content();
    writeVarint(out, content.length);
    out.writeBytes(content);
    writeFields(out, request.trailers());
    return out.toByteArray();
  }

  /** Encodes a response in the known-length form (every section present, no padding). */
  public static byte[] encode(BhttpResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, KNOWN_RESPONSE);
    for (BhttpResponse.Informational i : response.informational()) {
      writeVarint(out, i.status());
      writeFields(out, i.fields());
    }
    writeVarint(out, response.status());
    writeFields(out, response.fields());
    byte[] content = response.content();
    writeVarint(out, content.length);
    out.writeBytes(content);
    writeFields(out, response.trailers());
    return out.toByteArray();
  }

  private static void writeFields(ByteArrayOutputStream out, List<Field> fields) {
    ByteArrayOutputStream section = new ByteArrayOutputStream();
    for (Field f : fields) {
      writeString(section, f.name());
      writeString(section, f.value());
    }
    writeVarint(out, section.size());
    out.writeBytes(section.toByteArray());
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    writeVarint(out, b.length);
    out.writeBytes(b);
  }

  /** QUIC variable-length integer (RFC 9000 section 16), shortest form. */
  static void writeVarint(ByteArrayOutputStream out, long v) {
    if (v < 0 || v > 0x3fffffffffffffffL) {
      throw new IllegalArgumentException("varint out of range");
    }
    if (v < 0x40) {
      out.write((int) v);
    } else if (v < 0x4000) {
      out.write((int) (0x40 | (v >>> 8)));
      out.write((int) v);
    } else if (v < 0x40000000L) {
      out.write((int) (0x80 | (v >>> 24)));
      out.write((int) (v >>> 16));
      out.write((int) (v >>> 8));
      out.write((int) v);
    } else {
      out.write((int) (0xc0 | (v >>> 56)));
      for (int i = 48; i >= 0; i -= 8) {
        out.write((int) (v >>> i));
      }
    }
  }

  /** A bounds-checked cursor over the message. */
  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b == null ? new byte[0] : b;
    }

    boolean atEnd() {
      return pos == b.length;
    }

    long varint(String what) throws BhttpException {
      need(1, what);
      int first = b[pos] & 0xff;
      int len = 1 << (first >>> 6);
      need(len, what);
      long v = first & 0x3f;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (b[pos + i] & 0xff);
      }
      pos += len;
      return v;
    }

    int length(String what) throws BhttpException {
      long n = varint(what + " length");
      if (n > b.length - pos) {
        throw new BhttpException(
            BhttpException.MALFORMED, what + " length " + n + " runs past the end of the message");
      }
      return (int) n;
    }

    byte[] bytes(String what) throws BhttpException {
      int n = length(what);
      byte[] out = new byte[n];
      System.arraycopy(b, pos, out, 0, n);
      pos += n;
      return out;
    }

    String string(String what) throws BhttpException {
      return new String(bytes(what), StandardCharsets.ISO_8859_1);
    }

    List<Field> fields(boolean known, String what) throws BhttpException {
      List<Field> out = new ArrayList<>();
      if (known) {
        int sectionLength = length(what);
        int end = pos + sectionLength;
        while (pos < end) {
          String name = string("field name");
          String value = string("field value");
          if (pos > end) {
            throw new BhttpException(
                BhttpException.MALFORMED, "a field line runs past the end of the " + what);
          }
          out.add(field(name, value));
        }
        return out;
      }
      while (true) {
        String name = string("field name");
        if (name.isEmpty()) {
          return out; // content terminator
        }
        out.add(field(name, string("field value")));
      }
    }

    private static Field field(String name, String value) throws BhttpException {
      if (name.isEmpty()) {
        throw new BhttpException(BhttpException.MALFORMED, "empty field name");
      }
      return Field.of(name, value);
    }

    byte[] content(boolean known) throws BhttpException {
      if (known) {
        return bytes("content");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        byte[] chunk = bytes("content chunk");
        if (chunk.length == 0) {
          return out.toByteArray();
        }
        out.writeBytes(chunk);
      }
    }

    void padding() throws BhttpException {
      for (int i = pos; i < b.length; i++) {
        if (b[i] != 0) {
          throw new BhttpException(
              BhttpException.BAD_PADDING, "non-zero byte after the end of the message at " + i);
        }
      }
      pos = b.length;
    }

    private void need(int n, String what) throws BhttpException {
      if (b.length - pos < n) {
        throw new BhttpException(BhttpException.MALFORMED, "message ends inside the " + what);
      }
    }
  }
}
