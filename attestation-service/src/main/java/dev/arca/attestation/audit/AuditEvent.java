// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit;

import java.util.Map;
import java.util.Objects;

/**
 * One security decision to record: appraisal (with the challenge it redeemed), grant, denial,
 * enrolment, revocation, policy activation, model publication.
 *
 * @param kind stable kind, e.g. {@code attestation.appraisal}, {@code device.revoked}
 * @param actor who caused it: a person's OIDC subject/username, or {@code device:<id>}
 * @param subject what it is about, e.g. {@code device:edge-1}, {@code model:triage@3}
 * @param outcome e.g. {@code permit}, {@code deny}, {@code ok}, or a problem id
 * @param detail JSON-friendly details (rule names, digests); never a key or secret
 */
public record AuditEvent(
    String kind, String actor, String subject, String outcome, Map<String, Object> detail) {
  public AuditEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? Map.of() : detail;
  }
}
