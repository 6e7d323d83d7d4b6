// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) canonical JSON, so the same value always gives the same bytes and therefore the
 * same Merkle leaf. Covered: object members sorted by their names' UTF-16 code units (RFC 8785
 * section 3.2.3), no whitespace, strings with only the escapes section 3.2.2.2 requires, integers
 * in plain decimal, {@code true}, {@code false}, {@code null}, UTF-8 output.
 *
 * <p>Deliberate restriction: numbers must be integers with magnitude at most {@code 2^53 - 1}.
 * Those print identically under JCS's ECMAScript rules and in plain decimal, so no floating-point
 * formatting is needed; audit entries use only strings and such integers (times are RFC 3339
 * strings, digests are hex strings). Anything else is rejected with {@code json.float} or {@code
 * json.integer-range} rather than silently rounded.
 *
 * <p>Thread-safe.
 */
public final class CanonicalJson {
  /** Largest integer that IEEE 754 doubles (and so JCS) represent exactly. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private CanonicalJson() {}

  /**
   * The canonical UTF-8 bytes of {@code value}.
   *
   * @throws CanonicalJsonException if the tree holds a float, an out-of-range integer, binary or
   *     POJO nodes, or a string with an unpaired surrogate
   */
  public static byte[] canonicalize(JsonNode value) throws CanonicalJsonException {
    StringBuilder sb = new StringBuilder();
    write(value, sb, "$");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses JSON strictly (duplicate keys, trailing data and non-numeric numbers rejected) into a
   * tree; integers are kept exact.
   *
   * @throws CanonicalJsonException {@code json.syntax} or {@code json.duplicate-key}
   */
  public static JsonNode parse(byte[] json) throws CanonicalJsonException {
    try {
      JsonNode node = STRICT.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new CanonicalJsonException("json.syntax", "no JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      String id =
          e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
              ? "json.duplicate-key"
              : "json.syntax";
      throw new CanonicalJsonException(id, "invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CanonicalJsonException("json.syntax", "invalid JSON: " + e.getMessage());
    } catch (NumberFormatException e) {
      // Jackson refuses numbers such as 1E44444444444444444 with a runtime exception.
      throw new CanonicalJsonException("json.syntax", "invalid JSON number: " + e.getMessage());
    }
  }

  /**
   * Parses {@code json} and checks that it is already in canonical form; returns the tree.
   *
   * @throws CanonicalJsonException {@code json.not-canonical} if re-canonicalizing changes it
   */
  public static JsonNode parseCanonical(byte[] json) throws CanonicalJsonException {
    JsonNode node = parse(json);
    if (!Arrays.equals(canonicalize(node), json)) {
      throw new CanonicalJsonException(
          "json.not-canonical", "JSON is valid but not in RFC 8785 canonical form");
    }
    return node;
  }

  private static void write(JsonNode n, StringBuilder sb, String path)
      throws CanonicalJsonException {
    switch (n.getNodeType()) {
      case OBJECT -> writeObject(n, sb, path);
      case ARRAY -> {
        sb.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(n.get(i), sb, path + "[" + i + "]");
        }
        sb.append(']');
      }
      case STRING -> writeString(n.textValue(), sb, path);
      case NUMBER -> writeNumber(n, sb, path);
      case BOOLEAN -> sb.append(n.booleanValue() ? "true" : "false");
      case NULL -> sb.append("null");
      default ->
          throw new CanonicalJsonException(
              "json.unsupported", path + ": " + n.getNodeType() + " has no JSON form");
    }
  }

  private static void writeObject(JsonNode n, StringBuilder sb, String path)
      throws CanonicalJsonException {
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(n.properties());
    // String.compareTo compares UTF-16 code units, exactly RFC 8785's sort order.
    members.sort(Map.Entry.comparingByKey());
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> m : members) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      writeString(m.getKey(), sb, path);
      sb.append(':');
      write(m.getValue(), sb, path + "." + m.getKey());
    }
    sb.append('}');
  }

  private static void writeNumber(JsonNode n, StringBuilder sb, String path)
      throws CanonicalJsonException {
    if (!n.isIntegralNumber()) {
      throw new CanonicalJsonException(
          "json.float",
          path + ": only integers are allowed in canonical audit JSON, got " + n.asText());
    }
    BigInteger v = n.bigIntegerValue();
    if (v.abs().compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) > 0) {
      throw new CanonicalJsonException(
          "json.integer-range",
          path + ": integer beyond +-(2^53 - 1) cannot be canonicalized exactly; use a string");
    }
    sb.append(v.toString());
  }

  private static void writeString(String s, StringBuilder sb, String path)
      throws CanonicalJsonException {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            throw new CanonicalJsonException(
                "json.unpaired-surrogate", path + ": string holds an unpaired surrogate");
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
