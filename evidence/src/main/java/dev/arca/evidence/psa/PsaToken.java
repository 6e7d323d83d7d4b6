// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claims of a PSA attestation token, read per {@link PsaProfile}. Immutable; only what the
 * token claims until {@link PsaVerifier} has checked the signature.
 *
 * <p>Required: nonce (32, 48 or 64 bytes), instance id ({@code 0x01} and a 32, 48 or 64-byte hash
 * of the IAK), implementation id, lifecycle, and software components (or, in PSA_IOT_PROFILE_1, the
 * "no software measurements" claim). Failure id {@code psa.claims.malformed}; a token naming
 * neither profile fails with {@code psa.claims.unknown-profile}.
 */
public record PsaToken(
    PsaProfile profile,
    byte[] nonce,
    byte[] instanceId,
    byte[] implementationId,
    PsaLifecycle lifecycle,
    Optional<byte[]> bootSeed,
    Optional<Long> clientId,
    Optional<String> certificationReference,
    List<SoftwareComponent> softwareComponents,
    Optional<String> verificationService) {

  static final String MALFORMED = "psa.claims.malformed";

  /** Reads the claims map of a token payload. */
  public static PsaToken parse(CborValue claims) throws EvidenceException {
    try {
      if (!(claims instanceof CborValue.MapValue)) {
        throw malformed("the token payload is not a map");
      }
      PsaProfile profile = profileOf(claims);
      byte[] nonce = required(claims, profile.nonce, "nonce").asBytes();
      if (nonce.length != 32 && nonce.length != 48 && nonce.length != 64) {
        throw malformed("the nonce has " + nonce.length + " bytes; PSA allows 32, 48 or 64");
      }
      byte[] instanceId = required(claims, profile.instanceId, "instance id").asBytes();
      int h = instanceId.length - 1;
      if (instanceId.length == 0 || instanceId[0] != 0x01 || (h != 32 && h != 48 && h != 64)) {
        throw malformed("the instance id is not 0x01 followed by a 32, 48 or 64-byte hash");
      }
      byte[] implementationId =
          required(claims, profile.implementationId, "implementation id").asBytes();
      long lifecycle = required(claims, profile.lifecycle, "security lifecycle").asLong();
      if (lifecycle < 0 || lifecycle > 0xffff) {
        throw malformed("the security lifecycle " + lifecycle + " is not a 16-bit value");
      }
      List<SoftwareComponent> components = new ArrayList<>();
      Optional<CborValue> sw = claims.get(profile.softwareComponents);
      if (sw.isPresent()) {
        for (CborValue c : sw.get().asArray()) {
          components.add(SoftwareComponent.parse(c));
        }
        if (components.isEmpty()) {
          throw malformed("the software components claim is empty");
        }
      } else if (profile.noSoftwareMeasurements < 0
          || claims.get(profile.noSoftwareMeasurements).isEmpty()) {
        throw malformed("the token has no software components");
      }
      Optional<CborValue> clientId = claims.get(profile.clientId);
      return new PsaToken(
          profile,
          nonce,
          instanceId,
          implementationId,
          new PsaLifecycle((int) lifecycle),
          optionalBytes(claims, profile.bootSeed),
          clientId.isPresent() ? Optional.of(clientId.get().asLong()) : Optional.empty(),
          optionalText(claims, profile.certificationReference),
          List.copyOf(components),
          optionalText(claims, profile.verificationService));
    } catch (CborException e) {
      throw malformed("a claim has the wrong type: " + e.getMessage());
    }
  }

  private static PsaProfile profileOf(CborValue claims) throws CborException, EvidenceException {
    for (PsaProfile p : PsaProfile.values()) {
      Optional<CborValue> v = claims.get(p.profile);
      if (v.isPresent()) {
        String name = v.get().asText();
        if (!name.equals(p.profileName())) {
          throw new EvidenceException(
              "psa.claims.unknown-profile",
              "profile '" + name + "' is not a supported PSA profile");
        }
        return p;
      }
    }
    // Early PSA_IOT_PROFILE_1 tokens may omit the profile claim; their nonce key names them.
    if (claims.get(PsaProfile.PSA_IOT_PROFILE_1.nonce).isPresent()) {
      return PsaProfile.PSA_IOT_PROFILE_1;
    }
    throw new EvidenceException(
        "psa.claims.unknown-profile",
        "the token names no profile (http://arm.com/psa/2.0.0 or PSA_IOT_PROFILE_1)");
  }

  private static CborValue required(CborValue map, long key, String what)
      throws CborException, EvidenceException {
    return map.get(key).orElseThrow(() -> malformed("the token has no " + what + " (" + key + ")"));
  }

  private static Optional<byte[]> optionalBytes(CborValue map, long key) throws CborException {
    Optional<CborValue> v = map.get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get().asBytes());
  }

  private static Optional<String> optionalText(CborValue map, long key) throws CborException {
    Optional<CborValue> v = map.get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get().asText());
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException(MALFORMED, message);
  }
}
