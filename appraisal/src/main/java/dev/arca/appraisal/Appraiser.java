// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceRegistry;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failure;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.VerificationContext;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules that decide whether evidence earns a key, in one place for the service (which decides)
 * and the auditor (who replays): verify the evidence bound to this attestation's report data
 * against the device's enrolment, refuse another device's or debug evidence and an insecure
 * runtime, require the format's {@link EvidenceProfile}, match the applicable reference-value sets,
 * give the EAR status, and decide each model request with the policy. Each step is recorded in the
 * {@link AppraisalRecord.Builder} it is given, so a refusal records what was known.
 *
 * <p>Fails closed: the evidence is always verified against the expected report data; a hardware
 * format needs an applicable reference-value set pinning what its profile requires, unless the
 * active policy names the format in {@code appraisal.withoutReferenceValues}. Thread-safe.
 */
public final class Appraiser {

  /**
   * One attestation's inputs: what the runtime sent, and the vendor collateral the service chose
   * for the evidence (an AMD VCEK, Intel TCB info, CRLs: by the names the format's verifier reads).
   * Collateral is uploaded ahead of time and never fetched while appraising; the verifier checks
   * its signatures, so it only ever narrows what passes.
   */
  public record Inputs(
      String format,
      byte[] evidence,
      byte[] nonce,
      byte[] runtimePublicKey,
      byte[] measurementLog,
      Map<String, byte[]> collateral,
      byte[] usageKey) {

    /** Copies the collateral map (its arrays are not copied). */
    public Inputs {
      collateral = Map.copyOf(collateral);
    }

    /** Inputs of a runtime that attests no usage-report key. */
    public Inputs(
        String format,
        byte[] evidence,
        byte[] nonce,
        byte[] runtimePublicKey,
        byte[] measurementLog,
        Map<String, byte[]> collateral) {
      this(format, evidence, nonce, runtimePublicKey, measurementLog, collateral, null);
    }

    /** Inputs of a format that takes no collateral. */
    public Inputs(
        String format,
        byte[] evidence,
        byte[] nonce,
        byte[] runtimePublicKey,
        byte[] measurementLog) {
      this(format, evidence, nonce, runtimePublicKey, measurementLog, Map.of());
    }

    /** These inputs with {@code files} as their collateral. */
    public Inputs withCollateral(Map<String, byte[]> files) {
      return new Inputs(format, evidence, nonce, runtimePublicKey, measurementLog, files, usageKey);
    }

    /** These inputs with the runtime's usage-report key, which the report data then binds too. */
    public Inputs withUsageKey(byte[] key) {
      return new Inputs(format, evidence, nonce, runtimePublicKey, measurementLog, collateral, key);
    }

    /** The report data the evidence must bind. */
    public byte[] reportData() {
      return ReportData.ofLog(nonce, runtimePublicKey, measurementLog, usageKey);
    }
  }

  /**
   * The device as enrolled.
   *
   * @param record the device as the audit record names it
   * @param enrolment its stored enrolment (what {@link EnrolmentTrust} trusts)
   */
  public record Enrolled(AppraisalRecord.Device record, JsonNode enrolment) {}

  /**
   * Evidence that passed appraisal.
   *
   * @param claims the verified claims
   * @param status EAR status and vector
   * @param referenceSets the sets matched
   */
  public record Appraised(
      Claims claims, AppraisalStatus status, List<ReferenceSet> referenceSets) {}

  /**
   * Roots a deployment adds to a format's pinned ones. Only tests use it (a test CA for documents
   * no vendor signs for them); production pins the vendors' roots alone, so the default adds none.
   */
  @FunctionalInterface
  public interface ExtraAnchors {
    /** No extra roots for any format: only the roots each verifier pins. */
    ExtraAnchors NONE = format -> List.of();

    /** The roots added for {@code format}, read at each appraisal. */
    List<X509Certificate> forFormat(String format);
  }

  private final EvidenceRegistry formats;
  private final Map<String, EvidenceProfile> profiles = new HashMap<>();
  private final ExtraAnchors extraAnchors;

  /**
   * @param formats the verifiers
   * @param profiles the profiles of formats with their own (others are hardware formats)
   */
  public Appraiser(EvidenceRegistry formats, List<EvidenceProfile> profiles) {
    this(formats, profiles, ExtraAnchors.NONE);
  }

  /**
   * @param formats the verifiers
   * @param profiles the profiles of formats with their own (others are hardware formats)
   * @param extraAnchors roots added to the formats' pinned ones (tests only)
   */
  public Appraiser(
      EvidenceRegistry formats, List<EvidenceProfile> profiles, ExtraAnchors extraAnchors) {
    this.formats = formats;
    profiles.forEach(p -> this.profiles.put(p.format(), p));
    this.extraAnchors = extraAnchors;
  }

  /**
   * The built-in formats and profiles: {@code tpm2}'s own, {@code dev} as software, Nitro pinning
   * the enclave image (PCR0-2), CCA the realm initial measurement, SEV-SNP the launch measurement,
   * TDX the TD's MRTD, android-key hardware without a particular register; the rest hardware.
   */
  public static Appraiser builtin() {
    return builtin(ExtraAnchors.NONE);
  }

  /** The built-in formats and profiles, with {@code extraAnchors} added to the pinned roots. */
  public static Appraiser builtin(ExtraAnchors extraAnchors) {
    return new Appraiser(BuiltinFormats.registry(), builtinProfiles(), extraAnchors);
  }

  private static List<EvidenceProfile> builtinProfiles() {
    return List.of(
        new Tpm2Profile(),
        EvidenceProfile.software("dev"),
        EvidenceProfile.hardware("nitro", Set.of("PCR0", "PCR1", "PCR2")),
        EvidenceProfile.hardware("cca", Set.of("rim")),
        EvidenceProfile.hardware("sev-snp", Set.of("measurement")),
        EvidenceProfile.hardware("tdx", Set.of("mrtd")),
        // The enrolment pins the app, boot key and security level; a reference-value set must
        // still apply (any register: verifiedBootHash changes with every OS update).
        EvidenceProfile.hardware("android-key"));
  }

  /** Whether this build verifies evidence {@code format}. */
  public boolean knows(String format) {
    return formats.byName(format).isPresent();
  }

  /** The profile of {@code format}: its own, or the hardware rules (fail closed). */
  public EvidenceProfile profile(String format) {
    return profiles.getOrDefault(format, EvidenceProfile.hardware(format));
  }

  /**
   * Appraises {@code in} from {@code device} at {@code time} against the reference-value sets that
   * apply to the device, under {@code policy}.
   *
   * @throws AppraisalException when the evidence earns nothing; {@code record} holds what was known
   */
  public Appraised appraise(
      Inputs in,
      Enrolled device,
      List<ReferenceSet> sets,
      CompiledPolicy policy,
      Instant time,
      AppraisalRecord.Builder record)
      throws AppraisalException {
    record.referenceSets(sets).collateral(in.collateral());
    Claims claims = verify(in, device, time);
    List<String> insecure = RuntimeMeasurements.insecureFindings(in.measurementLog());
    if (!insecure.isEmpty()) {
      throw new AppraisalException(
          Rejection.INSECURE_RUNTIME,
          "the runtime started with insecure settings "
              + insecure
              + "; keys are never released to it",
          Map.of("insecure", insecure));
    }
    EvidenceProfile profile = profile(in.format());
    profile.check(claims, in.measurementLog());
    requireReferences(profile, sets, policy);
    List<String> mismatches = new ArrayList<>();
    sets.forEach(s -> mismatches.addAll(s.mismatches(claims.measurements())));
    if (!mismatches.isEmpty()) {
      throw new AppraisalException(
          Rejection.REFERENCE_MISMATCH,
          mismatches.size() + " measurement(s) match no reference value; see 'mismatches'",
          Map.of("mismatches", mismatches, "referenceSets", ids(sets)));
    }
    AppraisalStatus status = AppraisalStatus.of(claims, !sets.isEmpty());
    record.appraisal(status);
    return new Appraised(claims, status, sets);
  }

  /**
   * Decides one model request with {@code policy} and records the decision.
   *
   * @param device the device as recorded
   */
  public PolicyOutcome decide(
      CompiledPolicy policy,
      Appraised appraised,
      AppraisalRecord.Device device,
      AppraisalRecord.Model model,
      String dataClass,
      String purpose,
      Instant time,
      AppraisalRecord.Builder record) {
    PolicyOutcome outcome =
        policy.decide(
            new PolicyQuery(
                device, appraised.claims(), appraised.status(), model, dataClass, purpose, time));
    record.decision(
        new AppraisalRecord.ModelDecision(
            model, dataClass, purpose, outcome.permitted(), outcome.decidedBy(), outcome.reason()));
    return outcome;
  }

  private Claims verify(Inputs in, Enrolled device, Instant time) throws AppraisalException {
    EvidenceVerifier verifier =
        formats
            .byName(in.format())
            .orElseThrow(
                () ->
                    new AppraisalException(
                        Rejection.UNKNOWN_FORMAT,
                        "evidence format '" + in.format() + "' is not verified by this build"));
    if (!device.record().format().equals(in.format())) {
      throw check(
          "appraisal.format-not-enrolled",
          "device '" + device.record().id() + "' enrolled with format " + device.record().format());
    }
    VerificationContext.Builder ctx =
        VerificationContext.expectingReportData(time, in.reportData());
    EnrolmentTrust.apply(in.format(), device.enrolment(), ctx);
    extraAnchors.forFormat(in.format()).forEach(ctx::trustAnchor);
    in.collateral().forEach(ctx::collateral);
    Claims claims;
    try {
      claims = verifier.verify(in.evidence(), ctx.build());
    } catch (EvidenceException e) {
      List<Map<String, String>> failures =
          e.failures().stream().map(Failure::toJsonMembers).toList();
      throw new AppraisalException(
          e.onlyBinding() ? Rejection.REPORT_DATA_UNBOUND : Rejection.EVIDENCE_INVALID,
          e.failures().size() + " failure(s); see 'failures'",
          Map.of("failures", failures));
    }
    if (!claims.deviceIdentity().equals(device.record().identity())) {
      throw check(
          "appraisal.identity-not-enrolled",
          "the evidence comes from another device than '" + device.record().id() + "'");
    }
    if (claims.debug()) {
      throw new AppraisalException(
          Rejection.DEBUG_EVIDENCE,
          "the platform reports debug mode; keys are never released to it");
    }
    EnrolmentTrust.checkClaims(in.format(), device.enrolment(), claims);
    return claims;
  }

  /**
   * An {@code evidence-invalid} refusal by one of the appraisal's own checks, named like a
   * verifier's.
   */
  private static AppraisalException check(String id, String message) {
    return new AppraisalException(
        Rejection.EVIDENCE_INVALID,
        message,
        Map.of("failures", List.of(new Failure(id, message).toJsonMembers())));
  }

  /**
   * A hardware format needs applicable sets that together pin its profile's registers; without any
   * applicable set it is refused unless the policy explicitly allows the format without one.
   */
  static void requireReferences(
      EvidenceProfile profile, List<ReferenceSet> sets, CompiledPolicy policy)
      throws AppraisalException {
    if (!profile.hardware() || policy.allowsWithoutReferenceValues(profile.format())) {
      return;
    }
    if (sets.isEmpty()) {
      throw new AppraisalException(
          Rejection.REFERENCE_MISSING,
          "no reference-value set for format "
              + profile.format()
              + " applies to this device (by device id or class), so nothing it measured can be"
              + " appraised; add one (POST /v1/reference-values) or, to accept such devices"
              + " unmeasured, name the format in the policy's appraisal.withoutReferenceValues");
    }
    Set<String> unpinned = new TreeSet<>(profile.requiredReferences());
    sets.forEach(s -> unpinned.removeAll(s.measurements().keySet()));
    if (!unpinned.isEmpty()) {
      throw new AppraisalException(
          Rejection.REFERENCE_MISSING,
          "the reference-value sets "
              + ids(sets)
              + " do not pin "
              + unpinned
              + ", which format "
              + profile.format()
              + " requires",
          Map.of("unpinned", List.copyOf(unpinned), "referenceSets", ids(sets)));
    }
  }

  private static List<String> ids(List<ReferenceSet> sets) {
    List<String> out = new ArrayList<>();
    sets.forEach(s -> out.add(s.id()));
    return out;
  }
}
