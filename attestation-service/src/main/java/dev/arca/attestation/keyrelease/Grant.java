// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A key release: one model version's data key wrapped to an attested runtime.
 *
 * @param manifestDigest hex SHA-256 of the signed manifest
 * @param dataClasses the data classes policy permitted for this version (a subset of the
 *     manifest's); the runtime serves no other
 * @param wrappedKey base64 of the crypto module's {@code WrappedKey} encoding: the model's data key
 *     sealed with HPKE to the runtime key, info {@code KeyReleaseInfo(grantId, modelId, version,
 *     manifestDigest)} (docs/api.md)
 * @param obligations what the runtime must observe: {@code leaseSeconds}, and when policy says so
 *     {@code offlineAllowanceSeconds}, {@code maxRequestsPerMinute}, {@code reattestationSeconds}
 */
public record Grant(
    String grantId,
    String modelId,
    long version,
    String manifestDigest,
    List<String> dataClasses,
    String wrappedKey,
    Instant leaseExpiresAt,
    Instant offlineUntil,
    Map<String, Object> obligations,
    String packageUrl) {}
