// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.ReportData;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The devices, activated policies and reference-value sets the log has recorded so far, built entry
 * by entry in log order, so each appraisal can be checked against state the service's API created.
 * A row written straight into the database has no entry: the appraisal that used it names an
 * enrolment, policy or reference set the log never recorded, and {@link #check} says which.
 *
 * <p>What an appraisal entry must match, as of the entries before it:
 *
 * <ul>
 *   <li>its device was enrolled with the same format, identity and enrolment digest, and its
 *       attributes are the last ones recorded; a permit also needs the device active (activated,
 *       not revoked);
 *   <li>its policy was activated with the same digest (at some earlier point: a replica may still
 *       decide with the policy active a moment ago);
 *   <li>each reference-value set was added with the same digest.
 * </ul>
 *
 * <p>Entries written before enrolment digests were logged ({@code device.enrolled} without {@code
 * enrolmentSha256}) are matched on format and identity only. An audit that starts after the first
 * entry cannot know what was recorded before it: with {@link #fromEntry(long)} above 0, an
 * appraisal naming state not seen in the checked range is counted in {@link #unchecked()} instead
 * of failing. Not thread-safe; one per audit.
 */
public final class LoggedState {

  private static final String APPRAISED = "attestation.appraised";
  private static final String REJECTED = "attestation.rejected";

  /** A device as the log last recorded it. */
  private record LoggedDevice(
      String format,
      String identity,
      String enrolmentSha256,
      Map<String, String> attributes,
      String status,
      long entry) {
    LoggedDevice with(String newStatus, Map<String, String> newAttributes, long at) {
      return new LoggedDevice(format, identity, enrolmentSha256, newAttributes, newStatus, at);
    }
  }

  private final boolean complete;
  private final Map<String, LoggedDevice> devices = new HashMap<>();
  private final Set<String> activatedPolicies = new HashSet<>();
  private final Set<String> referenceSets = new HashSet<>();
  private long unchecked;
  private boolean skipped;

  private LoggedState(boolean complete) {
    this.complete = complete;
  }

  /**
   * State for an audit whose first checked entry is {@code from}.
   *
   * @param from the first entry index the audit reads; 0 means the whole log
   */
  public static LoggedState fromEntry(long from) {
    return new LoggedState(from == 0);
  }

  /** Appraisals whose state could not be checked because it was recorded before the first entry. */
  public long unchecked() {
    return unchecked;
  }

  /**
   * Checks an appraisal entry against the state recorded before it, then records what the entry
   * itself changes. Call for every entry, in log order.
   *
   * @param index the entry's index, for messages
   * @param type the entry's type
   * @param subject the entry's subject (e.g. {@code device:edge-1})
   * @param outcome the entry's outcome
   * @param detail the entry's details
   * @throws ReplayException when an appraisal used state the log did not record
   */
  public void accept(long index, String type, String subject, String outcome, JsonNode detail)
      throws ReplayException {
    if (APPRAISED.equals(type) || REJECTED.equals(type)) {
      JsonNode replay = detail == null ? null : detail.get("replay");
      if (replay != null) {
        check(AppraisalRecord.fromJson(replay), APPRAISED.equals(type));
      }
      return;
    }
    observe(index, type, subject, outcome, detail);
  }

  private void observe(long index, String type, String subject, String outcome, JsonNode detail)
      throws ReplayException {
    switch (type) {
      case "device.enrolled" -> enrolled(index, id(subject, "device:"), outcome, detail);
      case "device.activated" -> update(id(subject, "device:"), "active", null, index);
      case "device.revoked" -> update(id(subject, "device:"), "revoked", null, index);
      case "device.attributes" ->
          update(id(subject, "device:"), null, strings(detail, "attributes"), index);
      case "policy.activated" ->
          activatedPolicies.add(id(subject, "policy:") + " " + digest(detail));
      case "reference-values.added" -> referenceSets.add(referenceSet(subject, detail));
      default -> {}
    }
  }

  private void enrolled(long index, String id, String outcome, JsonNode detail)
      throws ReplayException {
    if (!"ok".equals(outcome) && !"pending".equals(outcome)) {
      return; // a refused enrolment changes nothing
    }
    JsonNode digest = detail == null ? null : detail.get("enrolmentSha256");
    devices.put(
        id,
        new LoggedDevice(
            text(detail, "format"),
            text(detail, "identity"),
            digest == null ? null : digest.asText(),
            strings(detail, "attributes"),
            "ok".equals(outcome) ? "active" : "pending",
            index));
  }

  private void update(String id, String status, Map<String, String> attributes, long index) {
    LoggedDevice d = devices.get(id);
    if (d != null) {
      devices.put(
          id,
          d.with(
              status == null ? d.status() : status,
              attributes == null ? d.attributes() : attributes,
              index));
    }
  }

  private void check(AppraisalRecord rec, boolean permit) throws ReplayException {
    skipped = false;
    checkState(rec, permit);
    if (skipped) {
      unchecked++;
    }
  }

  private void checkState(AppraisalRecord rec, boolean permit) throws ReplayException {
    if (rec.device() != null) {
      checkDevice(rec.device(), permit);
    }
    if (rec.policy() != null) {
      AppraisalRecord.PolicyRef p = rec.policy();
      require(
          activatedPolicies.contains(p + " " + p.sha256()),
          "audit.replay.policy-not-logged",
          "policy " + p + " (sha256 " + p.sha256() + ") was never activated through the API");
    }
    if (rec.referenceSets() != null) {
      for (AppraisalRecord.ReferenceRef r : rec.referenceSets()) {
        require(
            referenceSets.contains(r + " " + r.sha256()),
            "audit.replay.reference-set-not-logged",
            "reference-value set "
                + r
                + " (sha256 "
                + r.sha256()
                + ") was never added through"
                + " the API");
      }
    }
  }

  private void checkDevice(AppraisalRecord.Device used, boolean permit) throws ReplayException {
    LoggedDevice d = devices.get(used.id());
    String id = "device '" + used.id() + "'";
    if (!require(d != null, "audit.replay.device-not-logged", id + " was never enrolled")) {
      return;
    }
    boolean sameEnrolment =
        d.format().equals(used.format())
            && d.identity().equals(used.identity())
            && (d.enrolmentSha256() == null || d.enrolmentSha256().equals(used.enrolmentSha256()));
    require(
        sameEnrolment,
        "audit.replay.enrolment-not-logged",
        id
            + " was appraised with an enrolment ("
            + used.format()
            + ", identity "
            + used.identity()
            + ", sha256 "
            + used.enrolmentSha256()
            + ") other than the one entry "
            + d.entry()
            + " records");
    require(
        d.attributes().equals(used.attributes()),
        "audit.replay.attributes-not-logged",
        id
            + " was appraised with attributes "
            + new TreeMap<>(used.attributes())
            + ", but entry "
            + d.entry()
            + " records "
            + new TreeMap<>(d.attributes()));
    if (permit) {
      require(
          "active".equals(d.status()),
          "audit.replay.device-not-active",
          id + " was granted keys while " + d.status() + " (entry " + d.entry() + ")");
    }
  }

  /** Fails, or with a partial audit counts, a check that does not hold; true when it holds. */
  private boolean require(boolean holds, String id, String message) throws ReplayException {
    if (holds) {
      return true;
    }
    if (complete) {
      throw new ReplayException(id, message);
    }
    skipped = true;
    return false;
  }

  private static String referenceSet(String subject, JsonNode detail) throws ReplayException {
    String nameVersion = id(subject, "reference-values:");
    int at = nameVersion.lastIndexOf('@');
    long version;
    try {
      version = Long.parseLong(nameVersion.substring(at + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw malformed("subject " + subject + " has no @version");
    }
    Map<String, List<String>> measurements = new LinkedHashMap<>();
    JsonNode m = detail == null ? null : detail.get("measurements");
    if (m == null || !m.isObject()) {
      throw malformed("reference-values entry " + subject + " records no measurements");
    }
    for (var it = m.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      List<String> values = new java.util.ArrayList<>();
      e.getValue().forEach(v -> values.add(v.asText()));
      measurements.put(e.getKey(), values);
    }
    ReferenceSet set =
        new ReferenceSet(
            nameVersion.substring(0, at),
            version,
            text(detail, "format"),
            text(detail, "subject"),
            measurements);
    return set.name()
        + "@"
        + set.version()
        + " "
        + HexFormat.of().formatHex(ReportData.sha256().digest(set.canonicalJson()));
  }

  private static String id(String subject, String prefix) throws ReplayException {
    if (subject == null || !subject.startsWith(prefix)) {
      throw malformed("subject " + subject + " does not start with " + prefix);
    }
    return subject.substring(prefix.length());
  }

  private static String digest(JsonNode detail) throws ReplayException {
    return text(detail, "digest");
  }

  private static String text(JsonNode detail, String field) throws ReplayException {
    JsonNode v = detail == null ? null : detail.get(field);
    if (v == null || !v.isTextual()) {
      throw malformed("detail." + field + " is missing or not a string");
    }
    return v.asText();
  }

  private static Map<String, String> strings(JsonNode detail, String field) throws ReplayException {
    JsonNode v = detail == null ? null : detail.get(field);
    if (v == null || !v.isObject()) {
      throw malformed("detail." + field + " is missing or not an object");
    }
    Map<String, String> out = new HashMap<>();
    for (var it = v.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      out.put(e.getKey(), Objects.requireNonNullElse(e.getValue().asText(null), ""));
    }
    return out;
  }

  private static ReplayException malformed(String what) {
    return new ReplayException("audit.replay.state-entry-malformed", what);
  }
}
