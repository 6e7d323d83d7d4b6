// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import java.time.Instant;

/** A stored policy version. {@code digest} is the hex SHA-256 of the document. */
public record PolicyVersion(
    String name,
    long version,
    String digest,
    boolean active,
    Instant createdAt,
    String createdBy,
    Instant activatedAt) {}
