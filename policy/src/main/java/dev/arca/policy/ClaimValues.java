// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.CelByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts raw claim values to the Java types the CEL runtime evaluates (CEL spec, "Values"):
 * integers to {@code Long}, floats to {@code Double}, bytes to {@code CelByteString}; instants stay
 * {@code Instant} (the runtime's native timestamp); lists and maps recursively, immutable.
 */
final class ClaimValues {

  /** Deeper nesting than this is refused so a hostile claim set cannot exhaust the stack. */
  private static final int MAX_DEPTH = 32;

  private ClaimValues() {}

  static Map<String, Object> normalizeMap(Map<String, ?> map, String path) {
    return normalizeMap(map, path, 0);
  }

  private static Map<String, Object> normalizeMap(Map<?, ?> map, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(path + ": map keys must be strings");
      }
      if (e.getValue() != null) {
        out.put(key, normalize(e.getValue(), path + "." + key, depth + 1));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object normalize(Object v, String path, int depth) {
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof BigInteger b) {
      // JSON decoders hand out BigInteger for large numbers: int when it fits, else CEL uint.
      if (b.bitLength() < 64) {
        return b.longValue();
      }
      if (b.signum() > 0 && b.bitLength() == 64) {
        return UnsignedLong.fromLongBits(b.longValue());
      }
      throw new IllegalArgumentException(path + ": " + b + " is outside CEL's 64-bit integers");
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof byte[] b) {
      return CelByteString.of(b);
    }
    if (v instanceof CelByteString || v instanceof Instant || v instanceof UnsignedLong) {
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      return normalizeMap(m, path, depth + 1);
    }
    if (v instanceof List<?> l) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH);
      }
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        // Like null map values, null list elements (JSON null) are dropped: absent, not a value.
        if (l.get(i) != null) {
          out.add(normalize(l.get(i), path + "[" + i + "]", depth + 1));
        }
      }
      return Collections.unmodifiableList(out);
    }
    throw new IllegalArgumentException(
        path + ": a " + v.getClass().getSimpleName() + " is not a CEL value");
  }
}
