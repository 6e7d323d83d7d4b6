// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a grant allows a runtime to do with one model, and until when: the data classes it may
 * serve, the end of the lease, how long it may keep serving while it cannot reach the service, and
 * the grant's other obligations. Immutable.
 *
 * @param modelId the model the grant is for
 * @param version the model version the grant is for
 * @param dataClasses data classes the runtime may serve with this model (e.g. {@code phi})
 * @param expiresAt end of the lease while online
 * @param offlineUntil the latest instant the runtime may serve without a fresh grant; never before
 *     {@code expiresAt}
 * @param obligations the grant's obligations (request rate, re-attestation interval)
 */
public record Lease(
    String modelId,
    long version,
    Set<String> dataClasses,
    Instant expiresAt,
    Instant offlineUntil,
    Obligations obligations) {

  /** A lease without obligations. */
  public Lease(
      String modelId,
      long version,
      Set<String> dataClasses,
      Instant expiresAt,
      Instant offlineUntil) {
    this(modelId, version, dataClasses, expiresAt, offlineUntil, Obligations.NONE);
  }

  public Lease {
    Objects.requireNonNull(modelId, "modelId");
    dataClasses = Set.copyOf(dataClasses);
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(offlineUntil, "offlineUntil");
    Objects.requireNonNull(obligations, "obligations");
    if (offlineUntil.isBefore(expiresAt)) {
      offlineUntil = expiresAt;
    }
  }

  /**
   * Checks that a request for {@code dataClass} may be served at {@code now}.
   *
   * @param online whether the runtime reached the service since the lease was granted; offline, the
   *     runtime serves until {@code offlineUntil}
   * @throws LeaseException {@code lease.expired} or {@code lease.data-class-not-granted}
   */
  public void check(String dataClass, Instant now, boolean online) throws LeaseException {
    Instant end = online ? expiresAt : offlineUntil;
    if (!now.isBefore(end)) {
      throw new LeaseException(
          "lease.expired",
          "the lease for model " + modelId + " ended at " + end + "; the runtime must re-attest");
    }
    if (!dataClasses.contains(dataClass)) {
      throw new LeaseException(
          "lease.data-class-not-granted",
          "model " + modelId + " is not granted for data class '" + dataClass + "'");
    }
  }
}
