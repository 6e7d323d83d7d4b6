// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import dev.arca.runtime.lease.Obligations;
import java.time.Instant;
import java.util.List;

/**
 * A key release received from the service: the model version it is for, the data key wrapped to
 * this runtime's HPKE key, and the lease. Immutable.
 *
 * @param wrappedKey the HPKE-wrapped data key as the crypto module encodes it
 * @param manifestDigest SHA-256 of the model's manifest, bound into the wrapping
 * @param obligations what the grant requires of the runtime ({@link Obligations#NONE} when the
 *     service sent none)
 */
public record Grant(
    String grantId,
    String modelId,
    long version,
    byte[] manifestDigest,
    List<String> dataClasses,
    byte[] wrappedKey,
    Instant leaseExpiresAt,
    Instant offlineUntil,
    Obligations obligations,
    String packageUrl) {

  public Grant {
    manifestDigest = manifestDigest.clone();
    dataClasses = List.copyOf(dataClasses);
    wrappedKey = wrappedKey.clone();
  }

  @Override
  public byte[] manifestDigest() {
    return manifestDigest.clone();
  }

  @Override
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  @Override
  public String toString() {
    return "Grant["
        + modelId
        + " v"
        + version
        + " "
        + dataClasses
        + " until "
        + leaseExpiresAt
        + "]";
  }
}
