// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memo every verifier cache is built on: bounded, least recently used out first. */
class BoundedCacheTest {
  @Test
  void itHoldsAtMostItsCapacityAndEvictsTheLeastRecentlyUsed() {
    BoundedCache<String> cache = new BoundedCache<>(3);
    for (String k : new String[] {"a", "b", "c"}) {
      cache.put(k, k.toUpperCase(java.util.Locale.ROOT));
    }
    assertThat(cache.get("a")).isEqualTo("A"); // now the most recently used
    cache.put("d", "D");
    cache.put("e", "E");

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("c")).isNull();
    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("e")).isEqualTo("E");
  }

  @Test
  void keysAreUnambiguousDigestsOfEveryByte() {
    byte[] ab = "ab".getBytes(US_ASCII);
    byte[] c = "c".getBytes(US_ASCII);
    byte[] a = "a".getBytes(US_ASCII);
    byte[] bc = "bc".getBytes(US_ASCII);

    assertThat(BoundedCache.key(ab, c)).isNotEqualTo(BoundedCache.key(a, bc));
    assertThat(BoundedCache.key(ab, c)).isEqualTo(BoundedCache.key(ab.clone(), c.clone()));
    assertThat(BoundedCache.key("abc".getBytes(US_ASCII)))
        .isNotEqualTo(BoundedCache.key("abd".getBytes(US_ASCII)))
        .hasSize(64);
  }
}
