package dev.arca.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceRegistry;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failure;
import dev.arca.evidence.VerificationContext;
import dev.arca.policy.Decision;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.RuleOutcome;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Re-runs the appraisal an audit entry records: fetches the kept evidence, enrolment and policy
 * document by digest (each checked against its digest), verifies the evidence with this build's
 * {@code evidence} module at the recorded time against the recorded enrolment and report data,
 * recomputes the appraisal status, and re-decides every recorded model request with the {@code
 * policy} module at the recorded policy version. Anything that comes out differently throws a
 * {@link ReplayException} saying what.
 *
 * <p>For a rejection, the replay reproduces the rejection: evidence recorded as invalid must fail
 * verification again (with the same failure ids when they were recorded), debug evidence must
 * verify as debug, a policy denial must deny again. Rejections before the evidence was looked at
 * (unknown device, bad nonce) have nothing to re-run and report {@link Depth#RECORDED}.
 *
 * <p>Not re-run: the match against reference values (the sets are recorded by name and version, not
 * kept by content); the recorded status must still follow from the verified claims and whether sets
 * applied. Not thread-safe (it caches parsed policies); use one per audit.
 */
public final class AppraisalReplay {

  /** Fetches a kept blob by its SHA-256 (lowercase hex). */
  @FunctionalInterface
  public interface Blobs {
    /**
     * @throws IOException if it is not served
     */
    byte[] fetch(String sha256Hex) throws IOException;
  }

  /** How far a replay went. */
  public enum Depth {
    /** Not an appraisal entry. */
    NONE,
    /** A rejection before the evidence was verified: only recorded. */
    RECORDED,
    /** The evidence was re-verified (and the rejection reproduced where it was the evidence's). */
    EVIDENCE,
    /** The evidence was re-verified and every recorded decision re-decided. */
    DECISION
  }

  private static final String APPRAISED = "attestation.appraised";
  private static final String REJECTED = "attestation.rejected";

  private final Blobs blobs;
  private final EvidenceRegistry formats = BuiltinFormats.registry();
  private final Map<String, Policy> policies = new HashMap<>();

  /**
   * @param blobs the log's content-addressed store
   */
  public AppraisalReplay(Blobs blobs) {
    this.blobs = blobs;
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
    JsonNode r = detail == null ? null : detail.get("replay");
    if (r == null) {
      throw new ReplayException(
          "audit.replay.record-missing",
          type + " entry records nothing to replay (written before replay records existed?)");
    }
    AppraisalRecord rec = AppraisalRecord.fromJson(r);
    if (rec.device() == null || rec.evidenceSha256() == null) {
      if (appraised) {
        throw new ReplayException(
            "audit.replay.record-malformed", "a permit records no device or evidence digest");
      }
      return Depth.RECORDED;
    }
    Verified v = verify(rec);
    if (appraised) {
      requireVerified(v, "permit");
      checkStatus(rec, v.claims());
      replayDecisions(rec, v.claims(), true);
      return Depth.DECISION;
    }
    switch (outcome) {
      case "attestation/evidence-invalid", "attestation/report-data-unbound" -> {
        if (v.failure() == null && v.claims().deviceIdentity().equals(rec.device().identity())) {
          throw new ReplayException(
              "audit.replay.rejection-not-reproduced",
              "recorded as " + outcome + ", but the evidence verifies for the recorded device");
        }
        checkFailureIds(detail, v.failure());
        return Depth.EVIDENCE;
      }
      case "attestation/debug-evidence" -> {
        requireVerified(v, outcome);
        if (!v.claims().debug()) {
          throw new ReplayException(
              "audit.replay.rejection-not-reproduced",
              "recorded as debug evidence, but the verified claims do not report debug mode");
        }
        return Depth.EVIDENCE;
      }
      case "attestation/policy-denied" -> {
        requireVerified(v, outcome);
        checkStatus(rec, v.claims());
        replayDecisions(rec, v.claims(), false);
        return Depth.DECISION;
      }
      default -> {
        // Rejected after verification for a reason outside evidence and policy (reference values,
        // no active policy, a key that would not wrap): the evidence part still must verify.
        requireVerified(v, outcome);
        return Depth.EVIDENCE;
      }
    }
  }

  private record Verified(Claims claims, EvidenceException failure) {}

  private Verified verify(AppraisalRecord rec) throws ReplayException {
    if (rec.nonce() == null
        || rec.runtimePublicKey() == null
        || rec.measurementLogSha256() == null) {
      throw new ReplayException(
          "audit.replay.record-malformed", "the report-data inputs are not recorded");
    }
    byte[] evidence = fetch(rec.evidenceSha256(), "evidence");
    JsonNode enrolment;
    try {
      enrolment = CanonicalJson.parse(fetch(rec.device().enrolmentSha256(), "enrolment"));
    } catch (CanonicalJsonException e) {
      throw new ReplayException(
          "audit.replay.enrolment-malformed", "the kept enrolment is not JSON: " + e.getMessage());
    }
    EvidenceVerifier verifier;
    try {
      verifier = formats.require(rec.format());
    } catch (EvidenceException e) {
      throw new ReplayException(
          "audit.replay.format-unknown",
          "evidence format '" + rec.format() + "' is not verified by this build");
    }
    byte[] reportData;
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      reportData =
          ReportData.of(
              b64.decode(rec.nonce()),
              b64.decode(rec.runtimePublicKey()),
              HexFormat.of().parseHex(rec.measurementLogSha256()));
    } catch (IllegalArgumentException e) {
      throw new ReplayException(
          "audit.replay.record-malformed", "nonce or runtimePublicKey is not base64");
    }
    VerificationContext.Builder ctx =
        VerificationContext.at(rec.verifiedAt()).expectedReportData(reportData);
    EnrolmentTrust.apply(rec.device().format(), enrolment, ctx);
    try {
      return new Verified(verifier.verify(evidence, ctx.build()), null);
    } catch (EvidenceException e) {
      return new Verified(null, e);
    }
  }

  private static void requireVerified(Verified v, String recorded) throws ReplayException {
    if (v.failure() != null) {
      List<String> ids = new ArrayList<>();
      for (Failure f : v.failure().failures()) {
        ids.add(f.id());
      }
      throw new ReplayException(
          "audit.replay.evidence-fails",
          "recorded as " + recorded + ", but the evidence now fails verification: " + ids);
    }
  }

  private static void checkFailureIds(JsonNode detail, EvidenceException failure)
      throws ReplayException {
    JsonNode recorded = detail.get("failures");
    if (recorded == null || !recorded.isArray() || failure == null) {
      return; // a rejection for another device's evidence records no verifier failures
    }
    Set<String> was = new TreeSet<>();
    recorded.forEach(f -> was.add(f.path("id").asText()));
    Set<String> now = new TreeSet<>();
    failure.failures().forEach(f -> now.add(f.id()));
    if (!was.equals(now)) {
      throw new ReplayException(
          "audit.replay.rejection-differs",
          "recorded verification failures " + was + " but the replay fails with " + now);
    }
  }

  private static void checkStatus(AppraisalRecord rec, Claims claims) throws ReplayException {
    if (!claims.deviceIdentity().equals(rec.device().identity())) {
      throw new ReplayException(
          "audit.replay.identity-differs",
          "the evidence comes from '"
              + claims.deviceIdentity()
              + "', not the recorded device identity");
    }
    if (rec.appraisal() == null || rec.referenceSets() == null) {
      throw new ReplayException(
          "audit.replay.record-malformed", "the appraisal status is not recorded");
    }
    AppraisalStatus now = AppraisalStatus.of(claims, !rec.referenceSets().isEmpty());
    if (!now.equals(rec.appraisal())) {
      throw new ReplayException(
          "audit.replay.status-differs",
          "recorded appraisal "
              + rec.appraisal().status()
              + " "
              + rec.appraisal().trustVector()
              + " but the replay gives "
              + now.status()
              + " "
              + now.trustVector());
    }
  }

  private void replayDecisions(AppraisalRecord rec, Claims claims, boolean somePermit)
      throws ReplayException {
    if (rec.policy() == null) {
      throw new ReplayException("audit.replay.record-malformed", "the policy is not recorded");
    }
    Policy policy = policy(rec.policy());
    boolean anyPermit = false;
    for (AppraisalRecord.ModelDecision d : rec.decisions()) {
      Decision now =
          policy.decide(
              DecisionInputs.of(
                  rec.device(),
                  claims,
                  rec.appraisal(),
                  d.model(),
                  d.dataClass(),
                  d.purpose(),
                  rec.verifiedAt()));
      List<String> rules = new ArrayList<>();
      for (RuleOutcome o : now.decidedBy()) {
        rules.add(o.rule());
      }
      String reason = reasonId(now.reason());
      if (now.permitted() != d.permitted()
          || !rules.equals(d.rules())
          || !reason.equals(d.reason())) {
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
                + (d.permitted() ? "permit" : "deny")
                + " by "
                + d.rules()
                + " ("
                + d.reason()
                + "), replay gives "
                + (now.permitted() ? "permit" : "deny")
                + " by "
                + rules
                + " ("
                + reason
                + ")");
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

  /** The service's reason id for a decision: the enum name in kebab case. */
  public static String reasonId(Decision.Reason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private Policy policy(AppraisalRecord.PolicyRef ref) throws ReplayException {
    Policy cached = policies.get(ref.sha256());
    if (cached == null) {
      String document = new String(fetch(ref.sha256(), "policy document"), StandardCharsets.UTF_8);
      try {
        cached = PolicyLoader.parse(document, "policy " + ref);
      } catch (PolicyLoadException e) {
        throw new ReplayException(
            "audit.replay.policy-invalid",
            "the kept document of policy " + ref + " does not load: " + e.getMessage());
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
}
