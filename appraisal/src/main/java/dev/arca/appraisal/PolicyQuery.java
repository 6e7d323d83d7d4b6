// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.evidence.Claims;
import java.time.Instant;

/**
 * Everything a policy may test for one model request: the enrolled device, the verified claims, the
 * appraisal's status, the model version and the data class and purpose asked for.
 */
public record PolicyQuery(
    AppraisalRecord.Device device,
    Claims claims,
    AppraisalStatus appraisal,
    AppraisalRecord.Model model,
    String dataClass,
    String purpose,
    Instant time) {}
