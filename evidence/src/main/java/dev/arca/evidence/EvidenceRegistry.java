// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An explicit set of evidence verifiers. Two verifiers may not claim the same format name or media
 * type: the registry refuses the second, so a format can never be shadowed. Immutable after
 * construction.
 */
public final class EvidenceRegistry {
  private final Map<String, EvidenceVerifier> byName = new LinkedHashMap<>();
  private final Map<String, EvidenceVerifier> byMediaType = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when two verifiers claim one name or media type
   */
  public EvidenceRegistry(List<EvidenceVerifier> verifiers) {
    for (EvidenceVerifier v : verifiers) {
      FormatDescriptor d = v.descriptor();
      if (byName.putIfAbsent(d.name(), v) != null) {
        throw new IllegalArgumentException("two evidence formats are named " + d.name());
      }
      for (String mt : d.mediaTypes()) {
        EvidenceVerifier other = byMediaType.putIfAbsent(mt, v);
        if (other != null) {
          throw new IllegalArgumentException(
              "formats "
                  + other.descriptor().name()
                  + " and "
                  + d.name()
                  + " both claim media type "
                  + mt);
        }
      }
    }
  }

  /** The verifier for a format name. */
  public Optional<EvidenceVerifier> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The verifier for a media type. */
  public Optional<EvidenceVerifier> byMediaType(String mediaType) {
    return Optional.ofNullable(byMediaType.get(mediaType));
  }

  /** All format names, in registration order. */
  public Collection<String> names() {
    return Collections.unmodifiableCollection(byName.keySet());
  }

  /** All verifiers, in registration order. */
  public Collection<EvidenceVerifier> verifiers() {
    return Collections.unmodifiableCollection(byName.values());
  }

  /**
   * The verifier for a format name.
   *
   * @throws EvidenceException {@code evidence.unknown-format} when there is none
   */
  public EvidenceVerifier require(String name) throws EvidenceException {
    EvidenceVerifier v = byName.get(name);
    if (v == null) {
      throw new EvidenceException(
          "evidence.unknown-format",
          "unknown evidence format '" + name + "'; known formats: " + String.join(", ", names()));
    }
    return v;
  }
}
