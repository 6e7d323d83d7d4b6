// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** An enrolled device as stored. {@code enrolment} holds only public material. */
public record Device(
    String id,
    String format,
    String identity,
    JsonNode enrolment,
    Map<String, String> attributes,
    String status,
    Instant enrolledAt,
    String enrolledBy,
    Instant revokedAt) {

  public static final String ACTIVE = "active";

  /** Enrolled, but the AK's credential activation has not been answered yet. */
  public static final String PENDING = "pending";

  public static final String REVOKED = "revoked";

  /** Enrolled, activated where the format asks it, and not revoked: it may attest and download. */
  public boolean active() {
    return ACTIVE.equals(status);
  }

  public boolean revoked() {
    return REVOKED.equals(status);
  }

  public boolean pending() {
    return PENDING.equals(status);
  }
}
