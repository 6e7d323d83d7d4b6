// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The compiled form of the current version of a document, compiled once per version however many
 * threads ask at the same time. A fleet's policy of 10,000 rules takes seconds to compile and
 * hundreds of megabytes while it does; before this, every request that found no compiled policy and
 * every scheduled reload compiled it again, side by side, until the heap ran out.
 *
 * @param <K> what names a version (equal keys, same document)
 * @param <V> the compiled form
 */
final class CompiledOnce<K, V> {
  private record Entry<K, V>(K key, V value) {}

  private final Object compiling = new Object();
  private volatile Entry<K, V> current;

  /**
   * The compiled form of version {@code key}: the current one when it is that version, else {@code
   * compile}'s result, which becomes current. One compilation runs at a time; a caller that waited
   * for another's compilation of the same version gets its result.
   *
   * @throws RuntimeException whatever {@code compile} throws; the current version is then unchanged
   */
  V get(K key, Supplier<V> compile) {
    Entry<K, V> e = current;
    if (e != null && e.key().equals(key)) {
      return e.value();
    }
    synchronized (compiling) {
      e = current;
      if (e != null && e.key().equals(key)) {
        return e.value();
      }
      V value = compile.get();
      current = new Entry<>(key, value);
      return value;
    }
  }

  /** The current compiled form, if any; never waits for a compilation. */
  Optional<V> current() {
    Entry<K, V> e = current;
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  /** Forgets the current version (its document is gone or no longer trusted). */
  void clear() {
    current = null;
  }
}
