// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import java.time.Instant;

/**
 * A publisher's public key the service trusts to sign model manifests (public data).
 *
 * @param publicKey base64url of the key as in a publisher key ring (docs/formats/sealed-model.md)
 */
public record PublisherKey(
    String keyId,
    String algorithm,
    String publicKey,
    String status,
    Instant addedAt,
    String addedBy,
    Instant revokedAt) {

  public static final String ACTIVE = "active";
  public static final String REVOKED = "revoked";
}
