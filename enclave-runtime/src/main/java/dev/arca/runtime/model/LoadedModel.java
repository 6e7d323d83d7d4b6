// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.model;

import dev.arca.crypto.seal.Manifest;
import dev.arca.runtime.lease.Lease;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model that is serving: its verified manifest, its ONNX Runtime session and the lease that
 * allows it. Counts the requests using it, so that a replaced model is closed only after its last
 * in-flight request finishes.
 */
public final class LoadedModel {
  private final Manifest manifest;
  private final OnnxModel model;
  private final java.util.concurrent.atomic.AtomicReference<Lease> lease;
  // One reference held by the host while the model is current, one per in-flight request.
  private final AtomicInteger references = new AtomicInteger(1);

  public LoadedModel(Manifest manifest, OnnxModel model, Lease lease) {
    this.manifest = manifest;
    this.model = model;
    this.lease = new java.util.concurrent.atomic.AtomicReference<>(lease);
  }

  public Manifest manifest() {
    return manifest;
  }

  public OnnxModel model() {
    return model;
  }

  /** The current lease. */
  public Lease lease() {
    return lease.get();
  }

  /** Replaces the lease after a re-attestation granted the same version again. */
  public void renew(Lease renewed) {
    lease.set(renewed);
  }

  /** Takes a reference for a request; false when the model is already closed. */
  boolean retain() {
    for (int r = references.get(); r > 0; r = references.get()) {
      if (references.compareAndSet(r, r + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Drops a reference; the last one closes the session: whether this call closed it. */
  boolean release() {
    if (references.decrementAndGet() == 0) {
      model.close();
      return true;
    }
    return false;
  }
}
