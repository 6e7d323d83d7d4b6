// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.ReportData;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an appraisal entry records so an auditor can re-run it (the {@code replay} object of an
 * {@code attestation.appraised} or {@code attestation.rejected} entry's details). Blobs are named
 * by their SHA-256 (lowercase hex) and served by the log's content-addressed store: the evidence,
 * the device's stored enrolment, the policy document.
 *
 * <p>A rejection records what was known when it failed: fields after the failing step are {@code
 * null} (for example no {@code device} when the device was unknown).
 *
 * @param format evidence format name
 * @param evidenceSha256 SHA-256 of the evidence bytes, or {@code null} when they did not decode
 * @param verifiedAt the verification (and decision) time
 * @param nonce the challenge nonce, standard base64, or {@code null}
 * @param runtimePublicKey the runtime's X25519 key, standard base64, or {@code null}
 * @param usageKey the runtime's Ed25519 usage-report key the report data also binds, standard
 *     base64, or {@code null} when the runtime attested none
 * @param measurementLogSha256 SHA-256 of the measurement log, or {@code null}
 * @param device the enrolled device, or {@code null}
 * @param appraisal status and vector after reference values, or {@code null}
 * @param referenceSets the reference-value sets that applied to the device, each kept by content,
 *     or {@code null} when the appraisal did not get that far
 * @param policy the policy consulted, or {@code null}
 * @param decisions each per-model policy decision, in request order
 * @param collateral the vendor collateral the evidence was verified with: file name to SHA-256 hex
 *     of its content (a kept blob); empty for formats without collateral
 */
public record AppraisalRecord(
    String format,
    String evidenceSha256,
    Instant verifiedAt,
    String nonce,
    String runtimePublicKey,
    String usageKey,
    String measurementLogSha256,
    Device device,
    AppraisalStatus appraisal,
    List<ReferenceRef> referenceSets,
    PolicyRef policy,
    List<ModelDecision> decisions,
    Map<String, String> collateral) {

  /** Requires format and time; copies lists and maps (sorted by collateral name). */
  public AppraisalRecord {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(verifiedAt, "verifiedAt");
    referenceSets = referenceSets == null ? null : List.copyOf(referenceSets);
    decisions = decisions == null ? List.of() : List.copyOf(decisions);
    collateral =
        collateral == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(collateral));
  }

  /**
   * The enrolled device as the appraisal saw it.
   *
   * @param enrolmentSha256 SHA-256 of the stored enrolment's canonical JSON (a kept blob)
   */
  public record Device(
      String id,
      String format,
      String identity,
      String enrolmentSha256,
      Map<String, String> attributes,
      Instant enrolledAt) {
    /** Requires every field; copies the attributes. */
    public Device {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(enrolmentSha256, "enrolmentSha256");
      Objects.requireNonNull(enrolledAt, "enrolledAt");
      attributes = Map.copyOf(attributes);
    }
  }

  /**
   * A model version as the policy saw it: its labels are the manifest's, signed by its publisher.
   */
  public record Model(
      String id,
      long version,
      List<String> dataClasses,
      Map<String, String> labels,
      String publisher) {
    /** Copies the data classes and labels. */
    public Model {
      Objects.requireNonNull(id, "id");
      dataClasses = List.copyOf(dataClasses);
      labels = Collections.unmodifiableMap(new TreeMap<>(labels));
      publisher = publisher == null ? "" : publisher;
    }

    /** A model version without labels. */
    public Model(String id, long version, List<String> dataClasses, String publisher) {
      this(id, version, dataClasses, Map.of(), publisher);
    }
  }

  /** A reference-value set version, with the SHA-256 of its canonical JSON (a kept blob). */
  public record ReferenceRef(String name, long version, String sha256) {
    /** Requires every field. */
    public ReferenceRef {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
    }

    @Override
    public String toString() {
      return name + "@" + version;
    }
  }

  /** A policy version, with the SHA-256 of its document (a kept blob). */
  public record PolicyRef(String name, long version, String sha256) {
    /** Requires every field. */
    public PolicyRef {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
    }

    @Override
    public String toString() {
      return name + "@" + version;
    }
  }

  /**
   * One policy decision and its request.
   *
   * @param rules the rules that decided, in the policy's order
   * @param reason the decision's reason id (e.g. {@code permitted}, {@code forbidden})
   */
  public record ModelDecision(
      Model model,
      String dataClass,
      String purpose,
      boolean permitted,
      List<String> rules,
      String reason) {
    /** Copies the rules. */
    public ModelDecision {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(dataClass, "dataClass");
      Objects.requireNonNull(purpose, "purpose");
      rules = List.copyOf(rules);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The record as JSON-friendly values (strings, numbers, booleans, lists, maps), nulls left out.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format);
    put(m, "evidenceSha256", evidenceSha256);
    m.put("verifiedAt", verifiedAt.toString());
    put(m, "nonce", nonce);
    put(m, "runtimePublicKey", runtimePublicKey);
    put(m, "usageKey", usageKey);
    put(m, "measurementLogSha256", measurementLogSha256);
    if (device != null) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("id", device.id());
      d.put("format", device.format());
      d.put("identity", device.identity());
      d.put("enrolmentSha256", device.enrolmentSha256());
      d.put("attributes", new LinkedHashMap<>(device.attributes()));
      d.put("enrolledAt", device.enrolledAt().toString());
      m.put("device", d);
    }
    if (appraisal != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("status", appraisal.status());
      a.put("trustVector", new LinkedHashMap<>(appraisal.trustVector()));
      m.put("appraisal", a);
    }
    if (referenceSets != null) {
      List<Object> sets = new ArrayList<>();
      referenceSets.forEach(
          r -> sets.add(Map.of("name", r.name(), "version", r.version(), "sha256", r.sha256())));
      m.put("referenceSets", sets);
    }
    if (policy != null) {
      m.put(
          "policy",
          Map.of("name", policy.name(), "version", policy.version(), "sha256", policy.sha256()));
    }
    List<Object> ds = new ArrayList<>();
    for (ModelDecision d : decisions) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("model", d.model().id());
      x.put("version", d.model().version());
      x.put("modelDataClasses", d.model().dataClasses());
      if (!d.model().labels().isEmpty()) {
        x.put("modelLabels", d.model().labels()); // absent before labels existed
      }
      x.put("publisher", d.model().publisher());
      x.put("dataClass", d.dataClass());
      x.put("purpose", d.purpose());
      x.put("permitted", d.permitted());
      x.put("rules", d.rules());
      x.put("reason", d.reason());
      ds.add(x);
    }
    m.put("decisions", ds);
    if (!collateral.isEmpty()) {
      m.put("collateral", new LinkedHashMap<>(collateral)); // absent before collateral existed
    }
    return m;
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /**
   * Reads a record written by {@link #toJson}.
   *
   * @throws ReplayException {@code audit.replay.record-malformed} naming the field
   */
  public static AppraisalRecord fromJson(JsonNode n) throws ReplayException {
    if (n == null || !n.isObject()) {
      throw malformed("replay", "is not an object");
    }
    JsonNode d = n.get("device");
    JsonNode a = n.get("appraisal");
    JsonNode refs = n.get("referenceSets");
    JsonNode p = n.get("policy");
    return new AppraisalRecord(
        text(n, "format"),
        optionalHex(n, "evidenceSha256"),
        instant(n, "verifiedAt"),
        optionalText(n, "nonce"),
        optionalText(n, "runtimePublicKey"),
        optionalText(n, "usageKey"),
        optionalHex(n, "measurementLogSha256"),
        d == null ? null : device(d),
        a == null ? null : appraisal(a),
        refs == null ? null : referenceSets(refs),
        p == null ? null : new PolicyRef(text(p, "name"), number(p, "version"), hex(p, "sha256")),
        decisions(n.get("decisions")),
        collateral(n.get("collateral")));
  }

  /** Collateral name to SHA-256 hex; absent in entries of formats without collateral. */
  private static Map<String, String> collateral(JsonNode c) throws ReplayException {
    if (c == null) {
      return Map.of();
    }
    if (!c.isObject()) {
      throw malformed("collateral", "is not an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : c.properties()) {
      out.put(e.getKey(), hex(c, e.getKey()));
    }
    return out;
  }

  private static Device device(JsonNode d) throws ReplayException {
    Map<String, String> attrs = new LinkedHashMap<>();
    for (var it = object(d, "attributes").properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isTextual()) {
        throw malformed("device.attributes." + e.getKey(), "is not a string");
      }
      attrs.put(e.getKey(), e.getValue().asText());
    }
    return new Device(
        text(d, "id"),
        text(d, "format"),
        text(d, "identity"),
        hex(d, "enrolmentSha256"),
        attrs,
        instant(d, "enrolledAt"));
  }

  private static AppraisalStatus appraisal(JsonNode a) throws ReplayException {
    Map<String, Integer> vector = new LinkedHashMap<>();
    for (var it = object(a, "trustVector").properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber()) {
        throw malformed("appraisal.trustVector." + e.getKey(), "is not an integer");
      }
      vector.put(e.getKey(), e.getValue().intValue());
    }
    return new AppraisalStatus(text(a, "status"), vector);
  }

  private static List<ReferenceRef> referenceSets(JsonNode refs) throws ReplayException {
    if (!refs.isArray()) {
      throw malformed("referenceSets", "is not an array");
    }
    List<ReferenceRef> sets = new ArrayList<>();
    for (JsonNode r : refs) {
      if (!r.isObject()) {
        throw malformed("referenceSets[]", "is not an object");
      }
      sets.add(new ReferenceRef(text(r, "name"), number(r, "version"), hex(r, "sha256")));
    }
    return sets;
  }

  private static List<ModelDecision> decisions(JsonNode ds) throws ReplayException {
    List<ModelDecision> decisions = new ArrayList<>();
    if (ds == null) {
      return decisions;
    }
    if (!ds.isArray()) {
      throw malformed("decisions", "is not an array");
    }
    for (JsonNode x : ds) {
      JsonNode permitted = x.get("permitted");
      if (permitted == null || !permitted.isBoolean()) {
        throw malformed("decisions[].permitted", "is not a boolean");
      }
      decisions.add(
          new ModelDecision(
              new Model(
                  text(x, "model"),
                  number(x, "version"),
                  strings(x, "modelDataClasses"),
                  labels(x.get("modelLabels")),
                  text(x, "publisher")),
              text(x, "dataClass"),
              text(x, "purpose"),
              permitted.booleanValue(),
              strings(x, "rules"),
              text(x, "reason")));
    }
    return decisions;
  }

  private static Map<String, String> labels(JsonNode labels) throws ReplayException {
    Map<String, String> out = new TreeMap<>();
    if (labels == null) {
      return out;
    }
    if (!labels.isObject()) {
      throw malformed("decisions[].modelLabels", "is not an object");
    }
    for (var e : labels.properties()) {
      out.put(e.getKey(), text(labels, e.getKey()));
    }
    return out;
  }

  private static ReplayException malformed(String field, String what) {
    return new ReplayException("audit.replay.record-malformed", "replay." + field + " " + what);
  }

  private static String text(JsonNode n, String f) throws ReplayException {
    JsonNode v = n.get(f);
    if (v == null || !v.isTextual()) {
      throw malformed(f, "is missing or not a string");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode n, String f) throws ReplayException {
    return n.has(f) ? text(n, f) : null;
  }

  private static String hex(JsonNode n, String f) throws ReplayException {
    String s = text(n, f);
    if (!s.matches("[0-9a-f]{64}")) {
      throw malformed(f, "is not 64 lowercase hex digits");
    }
    return s;
  }

  private static String optionalHex(JsonNode n, String f) throws ReplayException {
    return n.has(f) ? hex(n, f) : null;
  }

  private static long number(JsonNode n, String f) throws ReplayException {
    JsonNode v = n.get(f);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw malformed(f, "is missing or not an integer");
    }
    return v.longValue();
  }

  private static Instant instant(JsonNode n, String f) throws ReplayException {
    try {
      return Instant.parse(text(n, f));
    } catch (DateTimeParseException e) {
      throw malformed(f, "is not an RFC 3339 UTC time");
    }
  }

  private static JsonNode object(JsonNode n, String f) throws ReplayException {
    JsonNode v = n.get(f);
    if (v == null || !v.isObject()) {
      throw malformed(f, "is missing or not an object");
    }
    return v;
  }

  private static List<String> strings(JsonNode n, String f) throws ReplayException {
    JsonNode v = n.get(f);
    if (v == null || !v.isArray()) {
      throw malformed(f, "is missing or not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw malformed(f + "[]", "is not a string");
      }
      out.add(s.asText());
    }
    return out;
  }

  /**
   * Collects a record step by step while an appraisal runs, so a rejection at any step can record
   * what was known. Not thread-safe; one per appraisal.
   */
  public static final class Builder {
    private final String format;
    private final Instant verifiedAt;
    private String evidenceSha256;
    private String nonce;
    private String runtimePublicKey;
    private String usageKey;
    private String measurementLogSha256;
    private Device device;
    private AppraisalStatus appraisal;
    private List<ReferenceRef> referenceSets;
    private PolicyRef policy;
    private final List<ModelDecision> decisions = new ArrayList<>();
    private final Map<String, String> collateral = new LinkedHashMap<>();
    private final List<byte[]> blobs = new ArrayList<>();

    /**
     * @param format the evidence format the request names
     * @param verifiedAt the appraisal time
     */
    public Builder(String format, Instant verifiedAt) {
      this.format = format == null ? "" : format;
      this.verifiedAt = Objects.requireNonNull(verifiedAt, "verifiedAt");
    }

    /** The request's inputs: hex digests of evidence and measurement log, base64 nonce and key. */
    public Builder inputs(
        String evidenceSha256, String nonce, String runtimePublicKey, String measurementLogSha256) {
      this.evidenceSha256 = evidenceSha256;
      this.nonce = nonce;
      this.runtimePublicKey = runtimePublicKey;
      this.measurementLogSha256 = measurementLogSha256;
      return this;
    }

    /** The runtime's usage-report key, standard base64, when the request attests one. */
    public Builder usageKey(String usageKey) {
      this.usageKey = usageKey;
      return this;
    }

    /** The enrolled device the evidence was verified against. */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** The appraisal's status after reference values. */
    public Builder appraisal(AppraisalStatus appraisal) {
      this.appraisal = appraisal;
      return this;
    }

    /** The reference-value sets that apply to the device; keeps each by content. */
    public Builder referenceSets(List<ReferenceSet> sets) {
      this.referenceSets = new ArrayList<>();
      for (ReferenceSet set : sets) {
        byte[] json = set.canonicalJson();
        keep(json);
        referenceSets.add(
            new ReferenceRef(
                set.name(),
                set.version(),
                HexFormat.of().formatHex(ReportData.sha256().digest(json))));
      }
      return this;
    }

    /** The collateral the evidence was verified with; keeps each file by content. */
    public Builder collateral(Map<String, byte[]> files) {
      files.forEach(
          (name, content) -> {
            keep(content);
            collateral.put(name, HexFormat.of().formatHex(ReportData.sha256().digest(content)));
          });
      return this;
    }

    /** The policy consulted. */
    public Builder policy(PolicyRef policy) {
      this.policy = policy;
      return this;
    }

    /** One more per-model decision. */
    public Builder decision(ModelDecision decision) {
      decisions.add(decision);
      return this;
    }

    /** A blob the record names by digest (evidence, enrolment), to keep beside the entry. */
    public Builder keep(byte[] blob) {
      blobs.add(blob.clone());
      return this;
    }

    /** The blobs to keep with the entry (copies). */
    public List<byte[]> blobs() {
      List<byte[]> out = new ArrayList<>(blobs.size());
      for (byte[] b : blobs) {
        out.add(b.clone());
      }
      return out;
    }

    /** The record so far. */
    public AppraisalRecord build() {
      return new AppraisalRecord(
          format,
          evidenceSha256,
          verifiedAt,
          nonce,
          runtimePublicKey,
          usageKey,
          measurementLogSha256,
          device,
          appraisal,
          referenceSets,
          policy,
          decisions,
          collateral);
    }
  }
}
