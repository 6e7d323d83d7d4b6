// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * How devices of one evidence format enrol. What a stored enrolment trusts at appraisal is the
 * appraisal module's {@code EnrolmentTrust}, shared with the auditor's replay. One implementation
 * per format (dev: a public key; TPM: EK certificate chain plus credential activation of the AK;
 * others: their identity claims).
 */
public interface DeviceEnrolment {

  /** The evidence format name, as in {@code dev.arca.evidence.FormatDescriptor#name()}. */
  String format();

  /**
   * Checks an enrolment request and returns what to store.
   *
   * @param request the format-specific {@code enrolment} object of the request
   * @param now the time certificates are checked at
   * @throws dev.arca.attestation.api.ProblemException {@code invalid-request} naming what is wrong
   */
  EnrolledIdentity enrol(JsonNode request, Instant now);
}
