package dev.arca.attestation.appraisal;

import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.audit.AuditReceipt;
import dev.arca.attestation.challenge.ChallengeService;
import dev.arca.attestation.challenge.Nonce;
import dev.arca.attestation.keyrelease.GrantStore;
import dev.arca.attestation.registry.Device;
import dev.arca.attestation.registry.DeviceRegistry;
import dev.arca.attestation.registry.ModelRegistry;
import dev.arca.attestation.registry.ModelVersion;
import dev.arca.attestation.registry.PolicyRegistry;
import dev.arca.attestation.registry.ReferenceValueRegistry;
import dev.arca.attestation.registry.ReferenceValues;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.token.EarIssuer;
import dev.arca.audit.AppraisalRecord;
import dev.arca.audit.AppraisalStatus;
import dev.arca.audit.ReportData;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePublicKey;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.SealException;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceRegistry;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failure;
import dev.arca.evidence.VerificationContext;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The attestation pipeline: check the nonce, verify the evidence against the enrolled device with
 * the report data bound to the runtime key and measurement log, appraise against reference values,
 * decide with the active policy per model, then (in the same transaction) consume the nonce, write
 * the audit entry and record the grants. Keys are wrapped only after all of that succeeded and are
 * returned only when the transaction commits.
 *
 * <p>Every rejection is a specific {@link ProblemType}, and is itself audited (in its own
 * transaction, since the decision's rolled back) before the client hears about it.
 */
@ApplicationScoped
public class AttestationService {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject ChallengeService challenges;
  @Inject DeviceRegistry devices;
  @Inject ReferenceValueRegistry references;
  @Inject PolicyRegistry policies;
  @Inject ModelRegistry models;
  @Inject GrantStore grants;
  @Inject EarIssuer ear;
  @Inject MeterRegistry meters;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.grant.default-lease", defaultValue = "PT8H")
  Duration defaultLease;

  private final EvidenceRegistry evidence = BuiltinFormats.registry();
  private final SecureRandom random = new SecureRandom();
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Appraises {@code req} at {@code now}. */
  public AttestationResult attest(AttestationRequest req) {
    Instant now = clock.instant();
    long start = System.nanoTime();
    String format = evidence.byName(req.format()).isPresent() ? req.format() : "unknown";
    Nonce[] checked = new Nonce[1];
    AppraisalRecord.Builder replay = new AppraisalRecord.Builder(req.format(), now);
    try {
      AttestationResult r = run(req, now, checked, replay);
      meters.counter("arca.attestations", "format", format, "verdict", "permit").increment();
      return r;
    } catch (ProblemException e) {
      meters.counter("arca.attestations", "format", format, "verdict", e.type().id()).increment();
      if (e.type().status() < 500) {
        recordRejection(req, e, checked[0], now, replay);
      }
      throw e;
    } finally {
      timers
          .computeIfAbsent(
              format,
              f ->
                  Timer.builder("arca.attestation.latency")
                      .tag("format", f)
                      .publishPercentileHistogram()
                      .register(meters))
          .record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private AttestationResult run(
      AttestationRequest req, Instant now, Nonce[] checked, AppraisalRecord.Builder replay) {
    byte[] nonceBytes = Base64Field.decode("nonce", req.nonce());
    byte[] runtimeKey = Base64Field.decode("runtimePublicKey", req.runtimePublicKey());
    byte[] evidenceBytes = Base64Field.decode("evidence", req.evidence());
    byte[] log =
        req.measurementLog() == null
            ? new byte[0]
            : Base64Field.decode("measurementLog", req.measurementLog());
    if (runtimeKey.length != 32) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "runtimePublicKey must be a 32-byte X25519 key");
    }
    EvidenceVerifier verifier;
    try {
      verifier = evidence.require(req.format());
    } catch (EvidenceException e) {
      throw new ProblemException(ProblemType.UNKNOWN_FORMAT, e.getMessage());
    }
    recordInputs(replay, evidenceBytes, nonceBytes, runtimeKey, log);
    Nonce nonce = challenges.check(nonceBytes, now);
    checked[0] = nonce;
    byte[] reportData = reportData(nonceBytes, runtimeKey, log);

    return db.inTransaction(
        tx -> {
          challenges.consume(tx, nonce);
          Device device =
              devices
                  .find(tx, req.deviceId())
                  .orElseThrow(
                      () ->
                          new ProblemException(
                              ProblemType.DEVICE_UNKNOWN,
                              "device '" + req.deviceId() + "' is not enrolled"));
          if (device.revoked()) {
            throw new ProblemException(
                ProblemType.DEVICE_REVOKED, "device '" + device.id() + "' is revoked");
          }
          if (device.pending()) {
            throw new ProblemException(
                ProblemType.DEVICE_PENDING,
                "device '"
                    + device.id()
                    + "' has not activated its enrolment credential yet (POST /v1/devices/"
                    + device.id()
                    + "/activation)");
          }
          if (!device.format().equals(req.format())) {
            throw new ProblemException(
                ProblemType.EVIDENCE_INVALID,
                "device '" + device.id() + "' enrolled with format " + device.format());
          }
          recordDevice(replay, device);
          Claims claims = verify(verifier, device, evidenceBytes, reportData, now);
          List<String> insecure = RuntimeMeasurements.insecureFindings(log);
          if (!insecure.isEmpty()) {
            throw new ProblemException(
                ProblemType.INSECURE_RUNTIME,
                "the runtime started with insecure settings "
                    + insecure
                    + "; keys are never released to it",
                Map.of("insecure", insecure));
          }
          Appraisal appraisal = appraise(tx, device, claims);
          replay.appraisal(
              new AppraisalStatus(appraisal.status(), appraisal.trustVector()),
              appraisal.referenceSets());
          CompiledPolicy policy =
              policies
                  .active()
                  .orElseThrow(
                      () ->
                          new ProblemException(
                              ProblemType.NO_ACTIVE_POLICY,
                              "no policy is active; nothing is released"));
          String policyId = policy.name() + "@" + policy.version();
          replay.policy(
              new AppraisalRecord.PolicyRef(policy.name(), policy.version(), policy.sha256()));

          List<AttestationResult.Grant> granted = new ArrayList<>();
          List<AttestationResult.Denial> denied = new ArrayList<>();
          List<Map<String, Object>> auditGrants = new ArrayList<>();
          Map<String, Permitted> permitted = new LinkedHashMap<>();
          for (AttestationRequest.ModelRequest m : req.models()) {
            Optional<ModelVersion> mv =
                m.version() == null
                    ? models.newestPublished(tx, m.modelId())
                    : models.find(tx, m.modelId(), m.version()).filter(v -> !v.revoked());
            if (mv.isEmpty()) {
              denied.add(
                  new AttestationResult.Denial(
                      m.modelId(), m.version(), "model-unavailable", List.of()));
              continue;
            }
            if (!mv.get().dataClasses().contains(m.dataClass())) {
              denied.add(
                  new AttestationResult.Denial(
                      m.modelId(), mv.get().version(), "model-not-for-data-class", List.of()));
              continue;
            }
            PolicyOutcome outcome =
                policy.decide(
                    new PolicyQuery(
                        device,
                        claims,
                        appraisal,
                        mv.get(),
                        m.dataClass(),
                        m.purposeOrDefault(),
                        now));
            replay.decision(
                new AppraisalRecord.ModelDecision(
                    new AppraisalRecord.Model(
                        mv.get().modelId(),
                        mv.get().version(),
                        mv.get().dataClasses(),
                        mv.get().publishedBy()),
                    m.dataClass(),
                    m.purposeOrDefault(),
                    outcome.permitted(),
                    outcome.decidedBy(),
                    outcome.reason()));
            if (!outcome.permitted()) {
              denied.add(
                  new AttestationResult.Denial(
                      m.modelId(), mv.get().version(), outcome.reason(), outcome.decidedBy()));
              continue;
            }
            permitted.merge(
                mv.get().modelId() + "@" + mv.get().version(),
                new Permitted(mv.get(), List.of(m.dataClass()), outcome),
                Permitted::and);
          }
          // One grant per model version, covering exactly the data classes policy permitted.
          for (Permitted p : permitted.values()) {
            AttestationResult.Grant g = grant(tx, device, p, runtimeKey, now);
            granted.add(g);
            auditGrants.add(
                Map.of(
                    "grantId", g.grantId(),
                    "model", g.modelId() + "@" + g.version(),
                    "dataClasses", g.dataClasses(),
                    "rules", p.outcome().decidedBy()));
          }
          if (granted.isEmpty()) {
            List<Map<String, Object>> d = new ArrayList<>();
            for (AttestationResult.Denial x : denied) {
              d.add(denialMap(x));
            }
            throw new ProblemException(
                ProblemType.POLICY_DENIED,
                "policy " + policyId + " permitted none of the requested models",
                Map.of("policy", policyId, "denials", d));
          }
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("format", claims.format());
          detail.put("evidenceSha256", sha256Hex(evidenceBytes));
          detail.put("policy", policyId);
          detail.put("status", appraisal.status());
          detail.put("referenceSets", appraisal.referenceSets());
          detail.put("grants", auditGrants);
          List<Map<String, Object>> dd = new ArrayList<>();
          for (AttestationResult.Denial x : denied) {
            dd.add(denialMap(x));
          }
          detail.put("denials", dd);
          detail.put("replay", replay.build().toJson());
          AuditReceipt receipt =
              audit.append(
                  tx,
                  new AuditEvent(
                      "attestation.appraised",
                      "device:" + device.id(),
                      "device:" + device.id(),
                      "permit",
                      detail),
                  now,
                  replay.blobs());
          String token =
              ear.issue(
                  device.id(),
                  runtimeKey,
                  nonceBytes,
                  Map.of(
                      claims.format(),
                      new EarIssuer.Submodule(
                          appraisal.status(), appraisal.trustVector(), policyId)),
                  granted,
                  now);
          for (AttestationResult.Grant g : granted) {
            meters.counter("arca.key.releases", "model", g.modelId()).increment();
          }
          return new AttestationResult(
              token, appraisal.status(), granted, denied, receipt.sequence(), receipt.receipt());
        });
  }

  private Claims verify(
      EvidenceVerifier verifier,
      Device device,
      byte[] evidenceBytes,
      byte[] reportData,
      Instant now) {
    VerificationContext.Builder ctx = VerificationContext.at(now).expectedReportData(reportData);
    devices.enrolmentFor(device.format()).trust(device.enrolment(), ctx);
    Claims claims;
    try {
      claims = verifier.verify(evidenceBytes, ctx.build());
    } catch (EvidenceException e) {
      List<Map<String, String>> failures = new ArrayList<>();
      boolean unbound = false;
      for (Failure f : e.failures()) {
        failures.add(Map.of("id", f.id(), "message", f.message()));
        // dev writes "...report-data.mismatch", tpm2 "tpm2.quote.report-data-mismatch".
        unbound |=
            f.id().endsWith("report-data.mismatch")
                || f.id().endsWith("report-data-mismatch")
                || f.id().endsWith("nonce.mismatch");
      }
      boolean onlyBinding = unbound && e.failures().size() == 1;
      throw new ProblemException(
          onlyBinding ? ProblemType.REPORT_DATA_UNBOUND : ProblemType.EVIDENCE_INVALID,
          e.failures().size() + " failure(s); see 'failures'",
          Map.of("failures", failures));
    }
    if (!claims.deviceIdentity().equals(device.identity())) {
      throw new ProblemException(
          ProblemType.EVIDENCE_INVALID,
          "the evidence comes from another device than '" + device.id() + "'");
    }
    if (claims.debug()) {
      throw new ProblemException(
          ProblemType.DEBUG_EVIDENCE,
          "the platform reports debug mode; keys are never released to it");
    }
    return claims;
  }

  private Appraisal appraise(Connection tx, Device device, Claims claims) throws SQLException {
    List<String> subjects = new ArrayList<>();
    subjects.add("device:" + device.id());
    String cls = device.attributes().get("class");
    if (cls != null) {
      subjects.add("class:" + cls);
    }
    List<ReferenceValues> sets = references.applicable(tx, claims.format(), subjects);
    List<String> used = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (ReferenceValues rv : sets) {
      used.add(rv.name() + "@" + rv.version());
      rv.measurements()
          .forEach(
              (register, accepted) -> {
                String actual = claims.measurements().get(register);
                if (actual == null
                    || !accepted.contains(actual.toLowerCase(java.util.Locale.ROOT))) {
                  mismatches.add("reference." + rv.name() + "." + register);
                }
              });
    }
    if (!mismatches.isEmpty()) {
      throw new ProblemException(
          ProblemType.REFERENCE_MISMATCH,
          mismatches.size() + " measurement(s) match no reference value; see 'mismatches'",
          Map.of("mismatches", mismatches, "referenceSets", used));
    }
    AppraisalStatus status = AppraisalStatus.of(claims, !sets.isEmpty());
    return new Appraisal(status.status(), status.trustVector(), used, mismatches);
  }

  /** What policy permitted for one model version: its data classes, under the joint outcome. */
  private record Permitted(ModelVersion mv, List<String> dataClasses, PolicyOutcome outcome) {
    Permitted and(Permitted other) {
      List<String> classes = new ArrayList<>(dataClasses);
      other.dataClasses.stream().filter(c -> !classes.contains(c)).forEach(classes::add);
      return new Permitted(mv, classes, outcome.mostRestrictive(other.outcome));
    }
  }

  private AttestationResult.Grant grant(
      Connection tx, Device device, Permitted p, byte[] runtimeKey, Instant now)
      throws SQLException {
    ModelVersion mv = p.mv();
    PolicyOutcome outcome = p.outcome();
    UUID grantId = UUID.randomUUID();
    Duration lease = outcome.lease().orElse(defaultLease);
    Instant expires = now.plus(lease);
    Instant offlineUntil = outcome.offlineAllowance().map(now::plus).orElse(expires);
    WrappedKey wrapped;
    DataKey dataKey = models.dataKey(mv);
    try {
      wrapped =
          KeyRelease.wrap(
              dataKey,
              HpkePublicKey.of(HpkeKem.DHKEM_X25519_HKDF_SHA256, runtimeKey),
              KeyReleaseInfo.of(
                  grantId.toString(),
                  mv.modelId(),
                  mv.version(),
                  HexFormat.of().parseHex(mv.manifestDigest())),
              random);
    } catch (HpkeException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "runtimePublicKey is not a usable X25519 key");
    } catch (SealException e) {
      throw new IllegalStateException("the data key of " + mv + " is unusable", e);
    } finally {
      dataKey.destroy();
    }
    grants.record(tx, grantId, device.id(), mv.modelId(), mv.version(), runtimeKey, expires, now);
    Map<String, Object> obligations = new LinkedHashMap<>();
    obligations.put("leaseSeconds", lease.toSeconds());
    outcome
        .offlineAllowance()
        .ifPresent(d -> obligations.put("offlineAllowanceSeconds", d.toSeconds()));
    outcome.maxRequestsPerMinute().ifPresent(n -> obligations.put("maxRequestsPerMinute", n));
    return new AttestationResult.Grant(
        grantId.toString(),
        mv.modelId(),
        mv.version(),
        mv.manifestDigest(),
        p.dataClasses(),
        Base64Field.encode(wrapped.encode()),
        expires,
        offlineUntil,
        obligations,
        "/v1/models/" + mv.modelId() + "/versions/" + mv.version() + "/package");
  }

  /** Records a rejected attestation (and uses up its nonce) in a transaction of its own. */
  private void recordRejection(
      AttestationRequest req,
      ProblemException e,
      Nonce nonce,
      Instant now,
      AppraisalRecord.Builder replay) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("problem", e.type().id());
    detail.put("detail", e.getMessage());
    detail.put("format", req.format());
    e.extensions().forEach(detail::put);
    detail.put("replay", replay.build().toJson());
    db.inTransaction(
        tx -> {
          if (nonce != null && e.type() != ProblemType.NONCE_REPLAYED) {
            try {
              challenges.consume(tx, nonce);
            } catch (ProblemException replayed) {
              // Already used: nothing more to record about the nonce.
            }
          }
          return audit.append(
              tx,
              new AuditEvent(
                  "attestation.rejected",
                  "device:" + req.deviceId(),
                  "device:" + req.deviceId(),
                  e.type().id(),
                  detail),
              now,
              replay.blobs());
        });
  }

  /** What a replay needs from the request: the kept evidence and the report-data inputs. */
  private static void recordInputs(
      AppraisalRecord.Builder replay,
      byte[] evidence,
      byte[] nonce,
      byte[] runtimeKey,
      byte[] log) {
    replay
        .inputs(
            sha256Hex(evidence),
            Base64Field.encode(nonce),
            Base64Field.encode(runtimeKey),
            sha256Hex(log))
        .keep(evidence);
  }

  /** The device as the appraisal sees it, its stored enrolment kept by content. */
  private static void recordDevice(AppraisalRecord.Builder replay, Device device) {
    byte[] enrolment;
    try {
      enrolment = CanonicalJson.canonicalize(device.enrolment());
    } catch (CanonicalJsonException e) {
      throw new IllegalStateException("stored enrolment of '" + device.id() + "' is not JSON", e);
    }
    replay
        .device(
            new AppraisalRecord.Device(
                device.id(),
                device.format(),
                device.identity(),
                sha256Hex(enrolment),
                device.attributes(),
                device.enrolledAt()))
        .keep(enrolment);
  }

  private static Map<String, Object> denialMap(AttestationResult.Denial d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modelId", d.modelId());
    if (d.version() != null) {
      m.put("version", d.version());
    }
    m.put("reason", d.reason());
    m.put("rules", d.rules());
    return m;
  }

  /** SHA-256(nonce || runtimeKey || SHA-256(measurementLog)): what the evidence must bind. */
  public static byte[] reportData(byte[] nonce, byte[] runtimeKey, byte[] measurementLog) {
    try {
      return ReportData.of(
          nonce, runtimeKey, MessageDigest.getInstance("SHA-256").digest(measurementLog));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256Hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
