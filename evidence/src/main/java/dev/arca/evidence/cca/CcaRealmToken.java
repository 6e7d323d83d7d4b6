// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cca;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claims of a CCA realm token (Arm RMM specification, DEN0137, "Realm token claims"): challenge
 * (10, 64 bytes), personalization value (44235, 64 bytes), hash algorithm (44236, for the
 * measurements), RAK public key (44237), initial measurement (44238), extensible measurements
 * (44239, four), RAK hash algorithm (44240). Immutable. Failure id {@code
 * cca.realm.claims.malformed}.
 */
record CcaRealmToken(
    Optional<String> profile,
    byte[] challenge,
    byte[] personalizationValue,
    String hashAlgorithm,
    byte[] rak,
    byte[] initialMeasurement,
    List<byte[]> extensibleMeasurements,
    String rakHashAlgorithm) {

  static final String MALFORMED = "cca.realm.claims.malformed";

  static CcaRealmToken parse(CborValue claims) throws EvidenceException {
    try {
      if (!(claims instanceof CborValue.MapValue)) {
        throw malformed("the realm token payload is not a map");
      }
      byte[] challenge = required(claims, 10, "challenge").asBytes();
      if (challenge.length != 64) {
        throw malformed("the realm challenge has " + challenge.length + " bytes, not 64");
      }
      List<byte[]> rems = new ArrayList<>();
      for (CborValue v : required(claims, 44239, "extensible measurements").asArray()) {
        rems.add(v.asBytes());
      }
      if (rems.size() != 4) {
        throw malformed("a realm has 4 extensible measurements, not " + rems.size());
      }
      String hashAlgorithm = required(claims, 44236, "hash algorithm").asText();
      return new CcaRealmToken(
          optionalText(claims, 265),
          challenge,
          required(claims, 44235, "personalization value").asBytes(),
          hashAlgorithm,
          required(claims, 44237, "RAK public key").asBytes(),
          required(claims, 44238, "initial measurement").asBytes(),
          List.copyOf(rems),
          // The RAK hash algorithm (44240) names how the platform challenge hashes the RAK;
          // tokens without it use the realm hash algorithm (44236).
          optionalText(claims, 44240).orElse(hashAlgorithm));
    } catch (CborException e) {
      throw malformed("a claim has the wrong type: " + e.getMessage());
    }
  }

  private static CborValue required(CborValue map, long key, String what)
      throws CborException, EvidenceException {
    return map.get(key)
        .orElseThrow(() -> malformed("the realm token has no " + what + " (" + key + ")"));
  }

  static Optional<String> optionalText(CborValue map, long key) throws CborException {
    Optional<CborValue> v = map.get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get().asText());
  }

  static Optional<byte[]> optionalBytes(CborValue map, long key) throws CborException {
    Optional<CborValue> v = map.get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get().asBytes());
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException(MALFORMED, message);
  }
}
