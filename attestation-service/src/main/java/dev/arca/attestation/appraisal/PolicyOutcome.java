package dev.arca.attestation.appraisal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A policy's answer for one request.
 *
 * @param decidedBy the rules that decided (the permitting rules, or the forbidding ones, or empty
 *     for deny-by-default)
 * @param reason short reason, e.g. {@code permitted}, {@code forbidden}, {@code no-permit-matched}
 * @param lease how long the grant lasts, when a rule says
 * @param offlineAllowance how long the runtime may serve while offline
 */
public record PolicyOutcome(
    boolean permitted,
    List<String> decidedBy,
    String reason,
    Optional<Duration> lease,
    Optional<Duration> offlineAllowance,
    Optional<Integer> maxRequestsPerMinute) {}
