// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.tiles.EntryBundle;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One security decision as a log entry. Its leaf bytes are the RFC 8785 canonical JSON of
 *
 * <pre>{"actor":"...","facts":{...},"time":"2026-11-25T21:30:00.123Z","type":"..."}</pre>
 *
 * so the same entry always hashes to the same leaf and an auditor can re-derive it. {@code time} is
 * kept at millisecond precision and written as RFC 3339 UTC ({@link Instant#toString()}). Facts
 * hold strings, integers within +-(2^53 - 1), booleans, null, arrays and objects (see {@link
 * CanonicalJson}); put large data (evidence) in content-addressed storage and its digest here. Leaf
 * bytes are at most {@value EntryBundle#MAX_ENTRY_BYTES} bytes so every entry fits a tlog-tiles
 * bundle.
 *
 * <p>Immutable; accessors return copies.
 */
public final class AuditEntry {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> MEMBERS = Set.of("actor", "facts", "time", "type");

  private final String type;
  private final Instant time;
  private final String actor;
  private final ObjectNode facts;
  private final byte[] leafBytes;

  private AuditEntry(String type, Instant time, String actor, ObjectNode facts, byte[] leaf) {
    this.type = type;
    this.time = time;
    this.actor = actor;
    this.facts = facts;
    this.leafBytes = leaf;
  }

  /**
   * Creates an entry and computes its canonical leaf bytes.
   *
   * @param type decision kind, for example {@code appraisal}, {@code key-release}, {@code
   *     policy-activation}; non-empty
   * @param time when the decision was made (truncated to milliseconds)
   * @param actor Keycloak subject or device id; non-empty
   * @param facts the decision's facts (deep-copied)
   * @throws CanonicalJsonException if the facts cannot be canonicalized ({@code json.*}) or the
   *     entry is too large ({@code audit.entry-too-large})
   */
  public static AuditEntry of(String type, Instant time, String actor, ObjectNode facts)
      throws CanonicalJsonException {
    if (type == null || type.isEmpty() || actor == null || actor.isEmpty()) {
      throw new IllegalArgumentException("type and actor must be non-empty");
    }
    Instant t = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
    ObjectNode f = Objects.requireNonNull(facts, "facts").deepCopy();
    ObjectNode whole = JsonNodeFactory.instance.objectNode();
    whole.put("type", type);
    whole.put("time", t.toString());
    whole.put("actor", actor);
    whole.set("facts", f);
    byte[] leaf = CanonicalJson.canonicalize(whole);
    if (leaf.length > EntryBundle.MAX_ENTRY_BYTES) {
      throw new CanonicalJsonException(
          "audit.entry-too-large",
          "entry is "
              + leaf.length
              + " bytes, limit "
              + EntryBundle.MAX_ENTRY_BYTES
              + "; store large data by digest");
    }
    return new AuditEntry(type, t, actor, f, leaf);
  }

  /**
   * As {@link #of(String, Instant, String, ObjectNode)} with facts given as a map of strings,
   * integral numbers, booleans, nulls, lists and nested maps (converted with Jackson).
   *
   * @throws CanonicalJsonException {@code json.float} for a float or double, {@code
   *     json.unsupported} for a value with no JSON form, or as the other factory
   */
  public static AuditEntry of(String type, Instant time, String actor, Map<String, ?> facts)
      throws CanonicalJsonException {
    JsonNode tree;
    try {
      tree = MAPPER.valueToTree(Objects.requireNonNull(facts, "facts"));
    } catch (IllegalArgumentException e) {
      throw new CanonicalJsonException(
          "json.unsupported", "facts cannot be converted to JSON: " + e.getMessage());
    }
    return of(type, time, actor, (ObjectNode) tree);
  }

  /**
   * Reads an entry back from its leaf bytes, requiring them to be exactly canonical, with exactly
   * the four members and their types.
   *
   * @throws CanonicalJsonException {@code json.*} or {@code audit.malformed-entry}
   */
  public static AuditEntry fromLeafBytes(byte[] leaf) throws CanonicalJsonException {
    JsonNode n = CanonicalJson.parseCanonical(leaf);
    if (!n.isObject()) {
      throw malformed("entry must be a JSON object");
    }
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    if (!names.equals(MEMBERS)) {
      throw malformed("entry members must be exactly " + new TreeSet<>(MEMBERS) + ", got " + names);
    }
    if (!n.get("type").isTextual()
        || !n.get("actor").isTextual()
        || !n.get("time").isTextual()
        || !n.get("facts").isObject()) {
      throw malformed("type, actor and time must be strings, facts an object");
    }
    Instant time;
    try {
      time = Instant.parse(n.get("time").textValue());
    } catch (DateTimeParseException e) {
      throw malformed("time is not an RFC 3339 UTC instant");
    }
    AuditEntry e;
    try {
      e =
          of(
              n.get("type").textValue(),
              time,
              n.get("actor").textValue(),
              (ObjectNode) n.get("facts"));
    } catch (IllegalArgumentException ex) {
      throw malformed(ex.getMessage());
    }
    if (!Arrays.equals(e.leafBytes, leaf)) {
      throw malformed("time is not in canonical millisecond form");
    }
    return e;
  }

  /** Decision kind. */
  public String type() {
    return type;
  }

  /** Decision time, millisecond precision. */
  public Instant time() {
    return time;
  }

  /** Who or what acted. */
  public String actor() {
    return actor;
  }

  /** The facts (a deep copy). */
  public ObjectNode facts() {
    return facts.deepCopy();
  }

  /** Canonical JSON bytes: what the log stores and hashes (a copy). */
  public byte[] leafBytes() {
    return leafBytes.clone();
  }

  /** RFC 9162 leaf hash of {@link #leafBytes()}. */
  public byte[] leafHash() {
    return MerkleHashes.leafHash(leafBytes);
  }

  private static CanonicalJsonException malformed(String why) {
    return new CanonicalJsonException("audit.malformed-entry", "not an audit entry: " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditEntry e && Arrays.equals(e.leafBytes, leafBytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(leafBytes);
  }

  @Override
  public String toString() {
    return "AuditEntry[" + type + " by " + actor + " at " + time + "]";
  }
}
