// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.ReportData;
import dev.arca.policy.DecisionInput;
import dev.arca.policy.impact.RecordedDecision;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Re-runs the appraisal an audit entry records with the same {@link Appraiser} the service decided
 * with: fetches the kept evidence, measurement log, enrolment, reference-value sets and policy
 * document by digest (each checked against its digest), appraises the evidence at the recorded time
 * (verification, evidence profile, reference-value matching, status), and re-decides every recorded
 * model request. Anything that comes out differently throws a {@link ReplayException} saying what.
 *
 * <p>For a rejection, the replay reproduces the rejection: an appraisal refused for a {@link
 * Rejection} must be refused for the same one again (with the same verifier failure ids when they
 * were recorded), and a policy denial must deny again. Rejections before the appraisal (unknown
 * device, bad nonce, no active policy) have nothing to re-run and report {@link Depth#RECORDED}.
 * Not thread-safe (it caches compiled policies); use one per audit.
 */
public final class AppraisalReplay {

  /** Fetches a kept blob by its SHA-256 (lowercase hex). */
  @FunctionalInterface
  public interface Blobs {
    /**
     * Returns the blob whose SHA-256 is {@code sha256Hex}.
     *
     * @throws IOException if it is not served
     */
    byte[] fetch(String sha256Hex) throws IOException;
  }

  /** How far a replay went. */
  public enum Depth {
    /** Not an appraisal entry. */
    NONE,
    /** A rejection before the evidence was appraised: only recorded. */
    RECORDED,
    /**
     * The evidence was appraised again (and the rejection reproduced where it was the evidence's).
     */
    EVIDENCE,
    /** The evidence was appraised again and every recorded decision re-decided. */
    DECISION
  }

  private static final String APPRAISED = "attestation.appraised";
  private static final String REJECTED = "attestation.rejected";
  private static final String POLICY_DENIED = "attestation/policy-denied";

  private final Blobs blobs;
  private final Appraiser appraiser;
  private final PolicyEngine engine = new ArcaPolicyEngine();
  private final Map<String, CompiledPolicy> policies = new HashMap<>();

  /**
   * @param blobs the log's content-addressed store
   */
  public AppraisalReplay(Blobs blobs) {
    this(blobs, Appraiser.builtin());
  }

  /**
   * @param blobs the log's content-addressed store
   * @param appraiser the appraiser to replay with (the service's: {@link Appraiser#builtin()})
   */
  public AppraisalReplay(Blobs blobs, Appraiser appraiser) {
    this.blobs = blobs;
    this.appraiser = appraiser;
  }

  /**
   * Replays one entry.
   *
   * @param type the entry's type
   * @param outcome the entry's outcome ({@code permit} or the problem id of a rejection)
   * @param detail the entry's details (with the {@code replay} record)
   * @return how far the replay went
   * @throws ReplayException when something does not re-verify or cannot be fetched
   */
  public Depth replay(String type, String outcome, JsonNode detail) throws ReplayException {
    boolean appraised = APPRAISED.equals(type);
    if (!appraised && !REJECTED.equals(type)) {
      return Depth.NONE;
    }
    AppraisalRecord rec = record(type, detail);
    if (!appraisable(rec)) {
      if (appraised) {
        throw new ReplayException(
            "audit.replay.record-malformed", "a permit records no device, evidence or policy");
      }
      return Depth.RECORDED;
    }
    Rerun run = rerun(rec);
    Rejection recorded = appraised ? null : Rejection.ofProblemId(outcome);
    if (recorded != null) {
      reproduceRejection(recorded, detail, run);
      return Depth.EVIDENCE;
    }
    String as = appraised ? "permit" : outcome;
    requireAppraised(run, as);
    checkStatus(rec, run.appraised());
    if (appraised || POLICY_DENIED.equals(outcome)) {
      replayDecisions(rec, run, appraised);
      return Depth.DECISION;
    }
    // Refused after the appraisal for a reason outside it (a key that would not wrap): the
    // appraisal itself must still pass.
    return Depth.EVIDENCE;
  }

  /** The appraisal's outcome now: passed, or refused. */
  private record Rerun(
      Appraiser.Appraised appraised, AppraisalException refused, CompiledPolicy policy) {}

  private static AppraisalRecord record(String type, JsonNode detail) throws ReplayException {
    JsonNode r = detail == null ? null : detail.get("replay");
    if (r == null) {
      throw new ReplayException(
          "audit.replay.record-missing",
          type + " entry records nothing to replay (written before replay records existed?)");
    }
    return AppraisalRecord.fromJson(r);
  }

  /** Whether the record got as far as an appraisal: a device, evidence and a policy. */
  private static boolean appraisable(AppraisalRecord rec) {
    return rec.device() != null
        && rec.evidenceSha256() != null
        && rec.policy() != null
        && rec.referenceSets() != null;
  }

  private Rerun rerun(AppraisalRecord rec) throws ReplayException {
    if (rec.nonce() == null
        || rec.runtimePublicKey() == null
        || rec.measurementLogSha256() == null) {
      throw new ReplayException(
          "audit.replay.record-malformed", "the report-data inputs are not recorded");
    }
    Appraiser.Inputs in;
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      in =
          new Appraiser.Inputs(
              rec.format(),
              fetch(rec.evidenceSha256(), "evidence"),
              b64.decode(rec.nonce()),
              b64.decode(rec.runtimePublicKey()),
              fetch(rec.measurementLogSha256(), "measurement log"),
              collateral(rec),
              rec.usageKey() == null ? null : b64.decode(rec.usageKey()));
    } catch (IllegalArgumentException e) {
      throw new ReplayException(
          "audit.replay.record-malformed", "nonce, runtimePublicKey or usageKey is not base64");
    }
    JsonNode enrolment;
    try {
      enrolment = CanonicalJson.parse(fetch(rec.device().enrolmentSha256(), "enrolment"));
    } catch (CanonicalJsonException e) {
      throw new ReplayException(
          "audit.replay.enrolment-malformed", "the kept enrolment is not JSON: " + e.getMessage());
    }
    List<ReferenceSet> sets = new ArrayList<>();
    for (AppraisalRecord.ReferenceRef ref : rec.referenceSets()) {
      sets.add(ReferenceSet.fromJson(fetch(ref.sha256(), "reference set " + ref)));
    }
    CompiledPolicy policy = policy(rec.policy());
    try {
      Appraiser.Appraised a =
          appraiser.appraise(
              in,
              new Appraiser.Enrolled(rec.device(), enrolment),
              sets,
              policy,
              rec.verifiedAt(),
              new AppraisalRecord.Builder(rec.format(), rec.verifiedAt()));
      return new Rerun(a, null, policy);
    } catch (AppraisalException e) {
      return new Rerun(null, e, policy);
    }
  }

  /** The collateral the appraisal used, each file checked against its recorded digest. */
  private Map<String, byte[]> collateral(AppraisalRecord rec) throws ReplayException {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> c : rec.collateral().entrySet()) {
      files.put(c.getKey(), fetch(c.getValue(), "collateral " + c.getKey()));
    }
    return files;
  }

  private static void reproduceRejection(Rejection recorded, JsonNode detail, Rerun run)
      throws ReplayException {
    if (run.refused() == null) {
      throw new ReplayException(
          "audit.replay.rejection-not-reproduced",
          "recorded as " + recorded.problemId() + ", but the evidence now passes the appraisal");
    }
    if (run.refused().rejection() != recorded) {
      throw new ReplayException(
          "audit.replay.rejection-differs",
          "recorded as "
              + recorded.problemId()
              + ", but the replay refuses it as "
              + run.refused().rejection().problemId()
              + ": "
              + run.refused().getMessage());
    }
    checkFailureIds(detail, run.refused());
  }

  private static void requireAppraised(Rerun run, String recorded) throws ReplayException {
    if (run.refused() != null) {
      throw new ReplayException(
          "audit.replay.evidence-fails",
          "recorded as "
              + recorded
              + ", but the appraisal now refuses it as "
              + run.refused().rejection().problemId()
              + ": "
              + run.refused().getMessage()
              + failureIds(run.refused()));
    }
  }

  private static String failureIds(AppraisalException e) {
    Object failures = e.details().get("failures");
    return failures == null ? "" : " " + failures;
  }

  private static void checkFailureIds(JsonNode detail, AppraisalException refused)
      throws ReplayException {
    JsonNode recorded = detail.get("failures");
    Object now = refused.details().get("failures");
    if (recorded == null || !recorded.isArray() || !(now instanceof List<?> list)) {
      return; // only verifier failures are compared
    }
    Set<String> was = new TreeSet<>();
    recorded.forEach(f -> was.add(f.path("id").asText()));
    Set<String> is = new TreeSet<>();
    for (Object f : list) {
      if (f instanceof Map<?, ?> m) {
        is.add(String.valueOf(m.get("id")));
      }
    }
    if (!was.equals(is)) {
      throw new ReplayException(
          "audit.replay.rejection-differs",
          "recorded verification failures " + was + " but the replay fails with " + is);
    }
  }

  private static void checkStatus(AppraisalRecord rec, Appraiser.Appraised now)
      throws ReplayException {
    if (rec.appraisal() == null) {
      throw new ReplayException(
          "audit.replay.record-malformed", "the appraisal status is not recorded");
    }
    if (!now.status().equals(rec.appraisal())) {
      throw new ReplayException(
          "audit.replay.status-differs",
          "recorded appraisal "
              + rec.appraisal().status()
              + " "
              + rec.appraisal().trustVector()
              + " but the replay gives "
              + now.status().status()
              + " "
              + now.status().trustVector());
    }
  }

  private void replayDecisions(AppraisalRecord rec, Rerun run, boolean somePermit)
      throws ReplayException {
    boolean anyPermit = false;
    AppraisalRecord.Builder scratch = new AppraisalRecord.Builder(rec.format(), rec.verifiedAt());
    for (AppraisalRecord.ModelDecision d : rec.decisions()) {
      PolicyOutcome now =
          appraiser.decide(
              run.policy(),
              run.appraised(),
              rec.device(),
              d.model(),
              d.dataClass(),
              d.purpose(),
              rec.verifiedAt(),
              scratch);
      if (now.permitted() != d.permitted()
          || !now.decidedBy().equals(d.rules())
          || !now.reason().equals(d.reason())) {
        throw new ReplayException(
            "audit.replay.decision-differs",
            "policy "
                + rec.policy()
                + " on "
                + d.model().id()
                + "@"
                + d.model().version()
                + " for "
                + d.dataClass()
                + ": recorded "
                + verdict(d.permitted(), d.rules(), d.reason())
                + ", replay gives "
                + verdict(now.permitted(), now.decidedBy(), now.reason()));
      }
      anyPermit |= now.permitted();
    }
    if (anyPermit != somePermit) {
      throw new ReplayException(
          "audit.replay.decision-differs",
          somePermit
              ? "recorded as a permit, but no recorded decision permits"
              : "recorded as a policy denial, but a recorded decision permits");
    }
  }

  private static String verdict(boolean permitted, List<String> rules, String reason) {
    return (permitted ? "permit" : "deny") + " by " + rules + " (" + reason + ")";
  }

  private CompiledPolicy policy(AppraisalRecord.PolicyRef ref) throws ReplayException {
    CompiledPolicy cached = policies.get(ref.sha256());
    if (cached == null) {
      String document = new String(fetch(ref.sha256(), "policy document"), StandardCharsets.UTF_8);
      try {
        cached = engine.compile(document, "policy " + ref);
      } catch (PolicyEngine.PolicyRejectedException e) {
        throw new ReplayException(
            "audit.replay.policy-invalid",
            "the kept document of policy " + ref + " does not load: " + e.problems());
      }
      policies.put(ref.sha256(), cached);
    }
    if (!cached.name().equals(ref.name()) || cached.version() != ref.version()) {
      throw new ReplayException(
          "audit.replay.policy-differs",
          "the document with digest "
              + ref.sha256()
              + " is policy "
              + cached.name()
              + "@"
              + cached.version()
              + ", not "
              + ref);
    }
    return cached;
  }

  private byte[] fetch(String sha256Hex, String what) throws ReplayException {
    byte[] bytes;
    try {
      bytes = blobs.fetch(sha256Hex);
    } catch (IOException e) {
      throw new ReplayException(
          "audit.replay.blob-missing",
          "kept " + what + " " + sha256Hex + " is not served: " + e.getMessage(),
          e);
    }
    byte[] actual = ReportData.sha256().digest(bytes);
    if (!MessageDigest.isEqual(actual, HexFormat.of().parseHex(sha256Hex))) {
      throw new ReplayException(
          "audit.replay.blob-mismatch",
          "kept " + what + " " + sha256Hex + " hashes to " + HexFormat.of().formatHex(actual));
    }
    return bytes;
  }

  /** A recorded decision with the policy input it was made on. */
  public record RecordedInput(AppraisalRecord.ModelDecision decision, DecisionInput input) {}

  /**
   * The decisions an appraisal entry records, each with the policy input it was made on: the
   * recorded device, appraisal, model, data class and purpose, and the claims of the kept evidence
   * appraised again at the recorded time. What {@code arca policy impact} decides again with a
   * draft policy. Empty for entries that are not appraisals or whose evidence was never, or not,
   * appraised.
   *
   * @throws ReplayException when the replay record is missing or malformed or a blob is not served
   */
  public List<RecordedInput> recordedInputs(String type, JsonNode detail) throws ReplayException {
    if (!APPRAISED.equals(type) && !REJECTED.equals(type)) {
      return List.of();
    }
    AppraisalRecord rec = record(type, detail);
    if (!appraisable(rec) || rec.decisions().isEmpty()) {
      return List.of();
    }
    Rerun run = rerun(rec);
    if (run.appraised() == null) {
      return List.of();
    }
    List<RecordedInput> out = new ArrayList<>();
    for (AppraisalRecord.ModelDecision d : rec.decisions()) {
      out.add(
          new RecordedInput(
              d,
              DecisionInputs.of(
                  rec.device(),
                  run.appraised().claims(),
                  rec.appraisal(),
                  d.model(),
                  d.dataClass(),
                  d.purpose(),
                  rec.verifiedAt())));
    }
    return out;
  }

  /**
   * {@link #recordedInputs} as the recorded decisions a draft policy is replayed on ({@code arca
   * policy impact}, the console's impact page), each named {@code audit#<index> <device>
   * <model>@<version> <dataClass>}.
   *
   * @throws ReplayException as {@link #recordedInputs} does
   */
  public List<RecordedDecision> recordedDecisions(long index, String type, JsonNode detail)
      throws ReplayException {
    List<RecordedDecision> out = new ArrayList<>();
    for (RecordedInput in : recordedInputs(type, detail)) {
      AppraisalRecord.ModelDecision d = in.decision();
      out.add(
          new RecordedDecision(
              "audit#"
                  + index
                  + " "
                  + in.input().device().id()
                  + " "
                  + d.model().id()
                  + "@"
                  + d.model().version()
                  + " "
                  + d.dataClass(),
              in.input(),
              d.permitted(),
              d.rules()));
    }
    return out;
  }
}
