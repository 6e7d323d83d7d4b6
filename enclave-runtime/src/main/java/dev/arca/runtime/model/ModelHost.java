// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.model;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a runtime serves, by model id. Installing a new version swaps it in atomically:
 * requests that started on the old version finish on it, new requests get the new one, and the old
 * session is closed after its last request. No request fails because of an update.
 */
public final class ModelHost implements AutoCloseable {
  private final Map<String, LoadedModel> current = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<LoadedModel> closed;

  /** A host that tells no one when a model's session closes. */
  public ModelHost() {
    this(m -> {});
  }

  /**
   * @param closed told, on the thread that released the last reference, when a replaced or removed
   *     model's session has closed (its last in-flight request done)
   */
  public ModelHost(java.util.function.Consumer<LoadedModel> closed) {
    this.closed = closed;
  }

  /** A model in use by one request; close it when the request is done. */
  public final class Use implements AutoCloseable {
    private final LoadedModel model;

    private Use(LoadedModel model) {
      this.model = model;
    }

    public LoadedModel model() {
      return model;
    }

    @Override
    public void close() {
      release(model);
    }
  }

  /** Installs (or replaces) the model for its id. */
  public void install(LoadedModel model) {
    LoadedModel old = current.put(model.manifest().modelId(), model);
    if (old != null) {
      release(old);
    }
  }

  /** Stops serving a model (revocation, lease end). */
  public void remove(String modelId) {
    LoadedModel old = current.remove(modelId);
    if (old != null) {
      release(old);
    }
  }

  /**
   * Stops serving every model {@code ended} says has ended.
   *
   * @return the ids removed, sorted
   */
  public java.util.List<String> removeIf(java.util.function.Predicate<LoadedModel> ended) {
    java.util.List<String> removed = new java.util.ArrayList<>();
    current.forEach(
        (id, m) -> {
          if (ended.test(m) && current.remove(id, m)) {
            release(m);
            removed.add(id);
          }
        });
    java.util.Collections.sort(removed);
    return removed;
  }

  private void release(LoadedModel m) {
    if (m.release()) {
      closed.accept(m);
    }
  }

  /** Takes the current version of a model for one request, if it is served. */
  public Optional<Use> use(String modelId) {
    while (true) {
      LoadedModel m = current.get(modelId);
      if (m == null) {
        return Optional.empty();
      }
      if (m.retain()) {
        return Optional.of(new Use(m));
      }
      // Swapped out and closed between get and retain: read the new current one.
    }
  }

  /** The ids and versions being served. */
  public Map<String, Long> served() {
    Map<String, Long> out = new java.util.TreeMap<>();
    current.forEach((id, m) -> out.put(id, m.manifest().version()));
    return out;
  }

  /**
   * The latest {@code offlineUntil} of the served models' leases: while the service cannot be
   * reached, the last moment anything is served. Empty when nothing is served.
   */
  public Optional<java.time.Instant> offlineUntil() {
    return current.values().stream()
        .map(m -> m.lease().offlineUntil())
        .max(java.time.Instant::compareTo);
  }

  @Override
  public void close() {
    current.keySet().forEach(this::remove);
  }
}
