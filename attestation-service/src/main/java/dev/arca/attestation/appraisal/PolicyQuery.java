package dev.arca.attestation.appraisal;

import dev.arca.attestation.registry.Device;
import dev.arca.attestation.registry.ModelVersion;
import dev.arca.evidence.Claims;
import java.time.Instant;

/**
 * Everything a policy may test for one model request: the enrolled device, the verified claims, the
 * appraisal against reference values, the model version and the data class asked for.
 */
public record PolicyQuery(
    Device device,
    Claims claims,
    Appraisal appraisal,
    ModelVersion model,
    String dataClass,
    String purpose,
    Instant time) {}
