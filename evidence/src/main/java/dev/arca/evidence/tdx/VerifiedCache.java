package dev.arca.evidence.tdx;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe memo of work whose result depends only on its input bytes: signatures that
 * verified (key, message, signature) and parsed certificate chains. Collateral, the QE report and a
 * platform's PCK chain are the same for every quote of a platform, so after the first quote only
 * the quote's own signature costs an ECDSA verification. Keys are SHA-256 digests of the inputs;
 * only successes are remembered, so a failure is always recomputed.
 */
final class VerifiedCache<V> {
  private final Map<String, V> entries;

  VerifiedCache(int capacity) {
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

  static String key(byte[]... parts) {
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

  V get(String key) {
    return entries.get(key);
  }

  void put(String key, V value) {
    entries.put(key, value);
  }
}
