// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import io.restassured.response.ValidatableResponse;

/** Assertions on an attestation's answer and on the audit entry that answer names. */
public final class Refusals {
  private Refusals() {}

  /**
   * Asserts a refused attestation: the status and problem type, no key or token in the answer, and
   * that the audit entry it names ({@code auditSequence}) is this refusal, of this device.
   *
   * @return that audit entry
   */
  public static JsonNode refused(
      ValidatableResponse r, int status, String problem, String deviceId) {
    long sequence =
        r.statusCode(status)
            .contentType(Problem.MEDIA_TYPE)
            .body("type", equalTo("urn:arca:problem:" + problem))
            .body("grants", nullValue())
            .body("token", nullValue())
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    return recorded(sequence, "attestation.rejected", deviceId, problem);
  }

  /**
   * Asserts that the audit entry at {@code sequence} is a decision of {@code type} about {@code
   * deviceId} with {@code outcome} ({@code permit} or a problem id).
   *
   * @return that entry
   */
  public static JsonNode recorded(long sequence, String type, String deviceId, String outcome) {
    JsonNode entry = AuditLines.entry(sequence);
    assertThat(entry.get("type").asText()).as("entry %d's type", sequence).isEqualTo(type);
    assertThat(entry.at("/facts/subject").asText())
        .as("entry %d's subject", sequence)
        .isEqualTo("device:" + deviceId);
    assertThat(entry.at("/facts/outcome").asText())
        .as("entry %d's outcome", sequence)
        .isEqualTo(outcome);
    return entry;
  }
}
