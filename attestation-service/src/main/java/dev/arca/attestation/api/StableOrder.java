// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Copies a JSON-like value (maps, collections, scalars) so that it iterates in a stable order: a
 * map or set that has an order ({@link LinkedHashMap}, {@link SortedMap}, ...) keeps it, and any
 * other (the unordered {@code Map.of} and {@code Set.of}, whose iteration order changes from one
 * JVM run to the next) is sorted by key or element. So a problem document or audit detail built
 * from {@code Map.of} reads the same on every run and every replica.
 */
final class StableOrder {
  private StableOrder() {}

  /** The stable copy of {@code value}; scalars are returned as they are. */
  static Object of(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out =
          map instanceof LinkedHashMap<?, ?> || map instanceof SortedMap<?, ?>
              ? new LinkedHashMap<>()
              : new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof Collection<?> items) {
      List<Object> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(of(i)));
      if (items instanceof Set<?>
          && !(items instanceof LinkedHashSet<?>)
          && !(items instanceof SortedSet<?>)) {
        out.sort(Comparator.comparing(String::valueOf)); // Set.of: no order of its own
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }

  /** {@link #of} for a map of members. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> members(Map<String, ?> members) {
    return (Map<String, Object>) of(members);
  }
}
