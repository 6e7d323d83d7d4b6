// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of a named reference-value set.
 *
 * @param subject what it applies to: {@code class:<device class>}, {@code device:<id>} or {@code
 *     model:<id>}
 * @param measurements register name (as in {@code Claims#measurements()}) to the accepted values,
 *     lower-case hex
 */
public record ReferenceValues(
    String name,
    int version,
    String format,
    String subject,
    Map<String, List<String>> measurements,
    Instant createdAt,
    String createdBy) {}
