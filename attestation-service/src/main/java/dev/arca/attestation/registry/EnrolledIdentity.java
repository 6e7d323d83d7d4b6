package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A checked enrolment.
 *
 * @param identity the device identity the format's verifier reports in {@code
 *     Claims#deviceIdentity()} for this device; unique across devices
 * @param enrolment the public material to store (keys, certificates); never a secret
 */
public record EnrolledIdentity(String identity, JsonNode enrolment) {}
