// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cca;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.psa.PsaLifecycle;
import dev.arca.evidence.psa.SoftwareComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claims of a CCA platform token (Arm CCA Security Model, DEN0096, and
 * draft-ffm-rats-cca-token): profile (265), challenge (10, the hash of the realm's RAK), instance
 * id (256), implementation id (2396), configuration (2401), lifecycle (2395), hash algorithm
 * (2402), software components (2399), verification service (2400). Immutable. Failure id {@code
 * cca.platform.claims.malformed}.
 */
record CcaPlatformToken(
    Optional<String> profile,
    byte[] challenge,
    byte[] instanceId,
    byte[] implementationId,
    Optional<byte[]> config,
    PsaLifecycle lifecycle,
    Optional<String> hashAlgorithm,
    List<SoftwareComponent> softwareComponents,
    Optional<String> verificationService) {

  static final String MALFORMED = "cca.platform.claims.malformed";

  static CcaPlatformToken parse(CborValue claims) throws EvidenceException {
    try {
      if (!(claims instanceof CborValue.MapValue)) {
        throw malformed("the platform token payload is not a map");
      }
      long lifecycle = required(claims, 2395, "lifecycle").asLong();
      if (lifecycle < 0 || lifecycle > 0xffff) {
        throw malformed("the lifecycle " + lifecycle + " is not a 16-bit value");
      }
      List<SoftwareComponent> components = new ArrayList<>();
      for (CborValue c : required(claims, 2399, "software components").asArray()) {
        components.add(SoftwareComponent.parse(c));
      }
      return new CcaPlatformToken(
          CcaRealmToken.optionalText(claims, 265),
          required(claims, 10, "challenge").asBytes(),
          required(claims, 256, "instance id").asBytes(),
          required(claims, 2396, "implementation id").asBytes(),
          CcaRealmToken.optionalBytes(claims, 2401),
          new PsaLifecycle((int) lifecycle),
          CcaRealmToken.optionalText(claims, 2402),
          List.copyOf(components),
          CcaRealmToken.optionalText(claims, 2400));
    } catch (CborException e) {
      throw malformed("a claim has the wrong type: " + e.getMessage());
    }
  }

  private static CborValue required(CborValue map, long key, String what)
      throws CborException, EvidenceException {
    return map.get(key)
        .orElseThrow(() -> malformed("the platform token has no " + what + " (" + key + ")"));
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException(MALFORMED, message);
  }
}
