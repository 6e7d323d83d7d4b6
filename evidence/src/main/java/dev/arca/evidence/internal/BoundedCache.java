// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe (LRU) memo of work whose result depends only on its input bytes:
 * signatures that verified (key, message, signature), parsed certificate chains, decoded public
 * keys (whose Bouncy Castle precomputation makes the next verification several times faster).
 * Collateral, a platform's certificates and keys recur across evidence, so after the first
 * verification mostly the evidence's own signature is computed. Keys are SHA-256 digests of the
 * inputs (see {@link #key}); callers remember only successes, so a failure is always recomputed.
 */
public final class BoundedCache<V> {
  private final Map<String, V> entries;

  /** A cache of at most {@code capacity} entries. */
  public BoundedCache(int capacity) {
    this.entries =
        Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
              }
            });
  }

  /** An unambiguous digest of {@code parts} (each length-prefixed). */
  public static String key(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(Integer.toString(p.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(p);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** The value remembered for {@code key}, or null. */
  public V get(String key) {
    return entries.get(key);
  }

  /** How many entries are remembered now (at most the capacity). */
  public int size() {
    return entries.size();
  }

  /** Remembers {@code value} for {@code key}, evicting the least recently used entry if full. */
  public void put(String key, V value) {
    entries.put(key, value);
  }
}
