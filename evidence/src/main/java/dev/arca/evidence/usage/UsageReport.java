// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * What a runtime served and refused over a period, per model, version and data class: counts only,
 * never an input or output. The runtime signs the encoded bytes with its {@link UsageKey}; the
 * service verifies those exact bytes, then {@linkplain #decode decodes} them, so no canonical form
 * is needed.
 *
 * @param deviceId the device that served
 * @param usageKey the raw Ed25519 key that signs this report (attested with the runtime's key)
 * @param from start of the period, inclusive
 * @param to end of the period, exclusive
 * @param counts one line per model, version and data class seen in the period
 * @param unloaded the model versions the runtime stopped serving in the period, and why: the
 *     device's own account of an update or revocation taking effect
 * @param dropped reports the runtime dropped unsent since it started, before this one (its queue is
 *     bounded): a running total, so a gap is visible even when an earlier report telling of it was
 *     dropped too
 */
public record UsageReport(
    String deviceId,
    byte[] usageKey,
    Instant from,
    Instant to,
    List<Count> counts,
    List<Unloaded> unloaded,
    long dropped) {

  /** Stands for a model or data class named in a refused request but not served here. */
  public static final String UNLISTED = "*";

  /** The encoding version. */
  public static final int VERSION = 1;

  /** The most lines one report holds. */
  public static final int MAX_COUNTS = 512;

  /** The most unloaded versions one report holds. */
  public static final int MAX_UNLOADED = 64;

  /** The longest identifier (device, model, data class) a report carries. */
  public static final int MAX_ID_LENGTH = 128;

  /** The largest encoded report accepted. */
  public static final int MAX_BYTES = 128 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One line of a report.
   *
   * @param modelId the model asked for, or {@link #UNLISTED} when it is not served here
   * @param version the version that answered (0 when none did)
   * @param dataClass the data class asked for, or {@link #UNLISTED} when no lease of the model
   *     covers it
   * @param served requests answered by the model
   * @param refused requests refused (lease, rate limit, bad tensors, ...)
   */
  public record Count(String modelId, long version, String dataClass, long served, long refused) {
    /** Checks the line's bounds. */
    public Count {
      checkId("modelId", modelId);
      checkId("dataClass", dataClass);
      if (version < 0 || served < 0 || refused < 0) {
        throw new IllegalArgumentException("version and counts are never negative");
      }
    }
  }

  /**
   * A model version the runtime stopped serving.
   *
   * @param modelId the model
   * @param version the version no longer served
   * @param at when
   * @param reason {@code superseded} (a newer version took over), {@code revoked} (granted only at
   *     a lower version), {@code withdrawn} (no longer granted), {@code refused} (the service
   *     refused the runtime) or {@code offline-allowance-ended}
   */
  public record Unloaded(String modelId, long version, Instant at, String reason) {
    /** Checks the entry's bounds. */
    public Unloaded {
      checkId("modelId", modelId);
      checkId("reason", reason);
      Objects.requireNonNull(at, "at");
      if (version < 0) {
        throw new IllegalArgumentException("version is never negative");
      }
    }
  }

  /** Checks the report's bounds; copies the key and the lines. */
  public UsageReport {
    checkId("deviceId", deviceId);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (usageKey == null || usageKey.length != UsageKey.KEY_LENGTH) {
      throw new IllegalArgumentException("usageKey must be a 32-byte Ed25519 key");
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the period ends before it starts");
    }
    if (counts.size() > MAX_COUNTS) {
      throw new IllegalArgumentException("a report holds at most " + MAX_COUNTS + " lines");
    }
    if (unloaded.size() > MAX_UNLOADED) {
      throw new IllegalArgumentException(
          "a report holds at most " + MAX_UNLOADED + " unloaded versions");
    }
    if (dropped < 0) {
      throw new IllegalArgumentException("dropped is never negative");
    }
    usageKey = usageKey.clone();
    counts = List.copyOf(counts);
    unloaded = List.copyOf(unloaded);
  }

  @Override
  public byte[] usageKey() {
    return usageKey.clone();
  }

  /** Requests served in the whole report. */
  public long served() {
    return counts.stream().mapToLong(Count::served).sum();
  }

  /** Requests refused in the whole report. */
  public long refused() {
    return counts.stream().mapToLong(Count::refused).sum();
  }

  /** The JSON bytes the runtime signs and sends. */
  public byte[] encode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("device", deviceId);
    o.put("usageKey", Base64.getEncoder().encodeToString(usageKey));
    o.put("from", from.toString());
    o.put("to", to.toString());
    ArrayNode lines = o.putArray("counts");
    for (Count c : counts) {
      lines
          .addObject()
          .put("model", c.modelId())
          .put("version", c.version())
          .put("dataClass", c.dataClass())
          .put("served", c.served())
          .put("refused", c.refused());
    }
    ArrayNode gone = o.putArray("unloaded");
    for (Unloaded u : unloaded) {
      gone.addObject()
          .put("model", u.modelId())
          .put("version", u.version())
          .put("at", u.at().toString())
          .put("reason", u.reason());
    }
    o.put("dropped", dropped);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a usage report", e);
    }
  }

  /**
   * Reads a report's bytes, strictly: every field present, of its type and within its bounds.
   *
   * @throws UsageReportException naming what is wrong
   */
  public static UsageReport decode(byte[] bytes) throws UsageReportException {
    if (bytes.length > MAX_BYTES) {
      throw new UsageReportException("a usage report is at most " + MAX_BYTES + " bytes");
    }
    try {
      JsonNode o = JSON.readTree(bytes);
      if (o == null || !o.isObject()) {
        throw new UsageReportException("a usage report is a JSON object");
      }
      if (number(o, "v") != VERSION) {
        throw new UsageReportException("usage report version " + o.get("v") + " is not known");
      }
      JsonNode lines = o.get("counts");
      if (lines == null || !lines.isArray() || lines.size() > MAX_COUNTS) {
        throw new UsageReportException("counts must be an array of at most " + MAX_COUNTS);
      }
      List<Count> counts = new ArrayList<>();
      for (Iterator<JsonNode> it = lines.elements(); it.hasNext(); ) {
        JsonNode c = it.next();
        counts.add(
            new Count(
                text(c, "model"),
                number(c, "version"),
                text(c, "dataClass"),
                number(c, "served"),
                number(c, "refused")));
      }
      JsonNode gone = o.get("unloaded");
      if (gone == null || !gone.isArray() || gone.size() > MAX_UNLOADED) {
        throw new UsageReportException("unloaded must be an array of at most " + MAX_UNLOADED);
      }
      List<Unloaded> unloaded = new ArrayList<>();
      for (Iterator<JsonNode> it = gone.elements(); it.hasNext(); ) {
        JsonNode u = it.next();
        unloaded.add(
            new Unloaded(
                text(u, "model"),
                number(u, "version"),
                Instant.parse(text(u, "at")),
                text(u, "reason")));
      }
      return new UsageReport(
          text(o, "device"),
          Base64.getDecoder().decode(text(o, "usageKey")),
          Instant.parse(text(o, "from")),
          Instant.parse(text(o, "to")),
          counts,
          unloaded,
          number(o, "dropped"));
    } catch (IOException e) {
      throw new UsageReportException("a usage report is JSON: " + e.getMessage());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new UsageReportException("malformed usage report: " + e.getMessage());
    }
  }

  private static String text(JsonNode o, String field) throws UsageReportException {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new UsageReportException("usage report field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static long number(JsonNode o, String field) throws UsageReportException {
    JsonNode v = o.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new UsageReportException("usage report field '" + field + "' must be an integer");
    }
    return v.asLong();
  }

  private static void checkId(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(field + " must be 1 to " + MAX_ID_LENGTH + " characters");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UsageReport r
        && deviceId.equals(r.deviceId)
        && java.util.Arrays.equals(usageKey, r.usageKey)
        && from.equals(r.from)
        && to.equals(r.to)
        && counts.equals(r.counts)
        && unloaded.equals(r.unloaded)
        && dropped == r.dropped;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        deviceId, java.util.Arrays.hashCode(usageKey), from, to, counts, unloaded, dropped);
  }

  @Override
  public String toString() {
    return "UsageReport[" + deviceId + " " + from + ".." + to + " " + counts + " " + unloaded + "]";
  }
}
