// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One version of a named reference-value set, by content: the security team's accepted values per
 * measured register. The appraisal keeps its canonical JSON beside the audit entry, so a replay
 * matches against exactly what the service matched against.
 *
 * @param name the set's name
 * @param version its version, from 1
 * @param format the evidence format it is for
 * @param subject what it applies to: {@code class:<device class>} or {@code device:<id>}
 * @param measurements register name (as in {@code Claims#measurements()}, e.g. {@code
 *     pcr.sha256.7}) to the accepted values, lower-case hex
 */
public record ReferenceSet(
    String name,
    long version,
    String format,
    String subject,
    Map<String, List<String>> measurements) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requires every field; copies the values, lower-cased, registers sorted. */
  public ReferenceSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(subject, "subject");
    Map<String, List<String>> m = new TreeMap<>();
    measurements.forEach(
        (register, values) -> {
          List<String> lower = new ArrayList<>();
          values.forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
          m.put(register, List.copyOf(lower));
        });
    measurements = Collections.unmodifiableMap(m);
  }

  /** {@code name@version}. */
  public String id() {
    return name + "@" + version;
  }

  /** The canonical JSON (RFC 8785) the audit log keeps: what its digest names. */
  public byte[] canonicalJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("version", version);
    m.put("format", format);
    m.put("subject", subject);
    m.put("measurements", measurements);
    try {
      return CanonicalJson.canonicalize(JSON.valueToTree(m));
    } catch (CanonicalJsonException e) {
      throw new IllegalStateException("a reference set is always canonical JSON", e);
    }
  }

  /**
   * Reads a set kept by {@link #canonicalJson()}.
   *
   * @throws ReplayException {@code audit.replay.reference-set-malformed}
   */
  public static ReferenceSet fromJson(byte[] canonical) throws ReplayException {
    try {
      JsonNode n = CanonicalJson.parse(canonical);
      Map<String, List<String>> m = new LinkedHashMap<>();
      var fields = n.get("measurements").properties().iterator();
      while (fields.hasNext()) {
        var e = fields.next();
        List<String> values = new ArrayList<>();
        e.getValue().forEach(v -> values.add(v.asText()));
        m.put(e.getKey(), values);
      }
      return new ReferenceSet(
          n.get("name").asText(),
          n.get("version").asLong(),
          n.get("format").asText(),
          n.get("subject").asText(),
          m);
    } catch (CanonicalJsonException | RuntimeException e) {
      throw new ReplayException(
          "audit.replay.reference-set-malformed", "a kept reference set is not usable: " + e);
    }
  }

  /**
   * The registers of {@code measured} that match none of this set's accepted values, as stable ids
   * {@code reference.<set>.<register>}; a register the set names but the evidence lacks is a
   * mismatch too.
   */
  public List<String> mismatches(Map<String, String> measured) {
    List<String> out = new ArrayList<>();
    measurements.forEach(
        (register, accepted) -> {
          String actual = measured.get(register);
          if (actual == null || !accepted.contains(actual.toLowerCase(Locale.ROOT))) {
            out.add("reference." + name + "." + register);
          }
        });
    return out;
  }
}
