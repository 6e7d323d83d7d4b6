// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One software component of a PSA or CCA platform token (RFC 9783 section 4.4.1): measurement type
 * (1), measurement value (2, required), version (4), signer id (5), measurement description (6, the
 * hash algorithm). Immutable.
 */
public record SoftwareComponent(
    Optional<String> measurementType,
    byte[] measurementValue,
    Optional<String> version,
    Optional<byte[]> signerId,
    Optional<String> measurementDescription) {

  public SoftwareComponent {
    measurementValue = measurementValue.clone();
    signerId = signerId.map(byte[]::clone);
  }

  @Override
  public byte[] measurementValue() {
    return measurementValue.clone();
  }

  @Override
  public Optional<byte[]> signerId() {
    return signerId.map(byte[]::clone);
  }

  /**
   * Reads one component map.
   *
   * @throws CborException when a field has the wrong type or the measurement value is missing
   */
  public static SoftwareComponent parse(CborValue map) throws CborException {
    if (!(map instanceof CborValue.MapValue)) {
      throw new CborException(
          CborException.Reason.UNEXPECTED_TYPE, "a software component is not a map");
    }
    CborValue value =
        map.get(2)
            .orElseThrow(
                () ->
                    new CborException(
                        CborException.Reason.UNEXPECTED_TYPE,
                        "a software component has no measurement value (key 2)"));
    return new SoftwareComponent(
        text(map, 1), value.asBytes(), text(map, 4), bytes(map, 5), text(map, 6));
  }

  /** JSON-friendly form for raw claims (bytes as hex). */
  public Map<String, Object> toRaw() {
    HexFormat hex = HexFormat.of();
    Map<String, Object> m = new LinkedHashMap<>();
    measurementType.ifPresent(v -> m.put("measurementType", v));
    m.put("measurementValue", hex.formatHex(measurementValue));
    version.ifPresent(v -> m.put("version", v));
    signerId.ifPresent(v -> m.put("signerId", hex.formatHex(v)));
    measurementDescription.ifPresent(v -> m.put("measurementDescription", v));
    return m;
  }

  private static Optional<String> text(CborValue map, long key) throws CborException {
    Optional<CborValue> v = map.get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get().asText());
  }

  private static Optional<byte[]> bytes(CborValue map, long key) throws CborException {
    Optional<CborValue> v = map.get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get().asBytes());
  }
}
