// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.AppraisalException;
import dev.arca.appraisal.AppraisalRecord;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.CompiledPolicy;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.audit.AuditReceipt;
import dev.arca.attestation.challenge.ChallengeService;
import dev.arca.attestation.challenge.Nonce;
import dev.arca.attestation.collateral.CollateralStore;
import dev.arca.attestation.keyrelease.Grant;
import dev.arca.attestation.registry.DevFormat;
import dev.arca.attestation.registry.Device;
import dev.arca.attestation.registry.DeviceRegistry;
import dev.arca.attestation.registry.PolicyRegistry;
import dev.arca.attestation.registry.ReferenceValueRegistry;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.token.EarIssuer;
import dev.arca.attestation.usage.UsageKeys;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.usage.UsageKey;
import dev.arca.transparency.json.CanonicalJson;
import dev.arca.transparency.json.CanonicalJsonException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attestation pipeline around the appraisal module's {@link Appraiser}: check the nonce, find
 * the enrolled device and the active policy, let the appraiser verify and appraise the evidence
 * against the applicable reference-value sets and decide each model (the same rules an auditor's
 * replay runs), then, in one transaction, consume the nonce and release the keys ({@link
 * GrantIssuer}), append the audit entry and issue the EAR. The entry itself is committed first, by
 * the log's sequencer in a batch transaction of its own; keys are returned only when the decision's
 * transaction commits after it, so no key leaves without its entry.
 *
 * <p>Every rejection is a specific {@link ProblemType}. A rejection of a request that carries a
 * nonce this service issued and that has not expired is itself audited (in its own transaction,
 * since the decision's rolled back) before the client hears about it. Nothing is stored for any
 * other request, and the evidence is kept only once the device is found admissible: so an anonymous
 * caller cannot grow the log or its blob store, and each entry costs one challenge.
 */
@ApplicationScoped
public class AttestationService {

  @Inject Database db;
  @Inject AuditLog audit;
  @Inject ChallengeService challenges;
  @Inject DeviceRegistry devices;
  @Inject DevFormat dev;
  @Inject ReferenceValueRegistry references;
  @Inject PolicyRegistry policies;
  @Inject ModelDecisions models;
  @Inject GrantIssuer grants;
  @Inject EarIssuer ear;
  @Inject Appraiser appraiser;
  @Inject AttestationSpans spans;
  @Inject CollateralStore collateral;
  @Inject UsageKeys usageKeys;
  @Inject MeterRegistry meters;
  @Inject Clock clock;

  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /** Appraises {@code req} now. */
  public AttestationResult attest(AttestationRequest req) {
    Instant now = clock.instant();
    long start = System.nanoTime();
    String format = appraiser.knows(req.format()) ? req.format() : "unknown";
    Nonce[] checked = new Nonce[1];
    AppraisalRecord.Builder record = new AppraisalRecord.Builder(req.format(), now);
    try {
      AttestationResult r = run(req, now, checked, record);
      meters.counter("arca.attestations", "format", format, "verdict", "permit").increment();
      return r;
    } catch (ProblemException e) {
      meters.counter("arca.attestations", "format", format, "verdict", e.type().id()).increment();
      // Tampered state is a server fault the auditor must see; other server faults (database
      // down) could not be recorded anyway. Nothing is logged for a nonce that did not check.
      if ((e.type().status() < 500 || e.type() == ProblemType.STATE_TAMPERED)
          && checked[0] != null) {
        long sequence = recordRejection(req, e, checked[0], now, record).sequence();
        throw withAuditSequence(e, sequence);
      }
      throw e;
    } finally {
      timer(format).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private AttestationResult run(
      AttestationRequest req, Instant now, Nonce[] checked, AppraisalRecord.Builder record) {
    // The nonce first, by its MAC and expiry alone: a request this service did not challenge
    // stores nothing (no entry, no blob).
    byte[] sent = Base64Field.decode("nonce", req.nonce());
    Nonce nonce = challenges.check(sent, now);
    checked[0] = nonce;
    Appraiser.Inputs in = inputs(req, sent, record);
    return db.inTransaction(
        tx -> {
          challenges.consume(tx, nonce);
          return decide(tx, req, nonce, in, now, record);
        });
  }

  private AttestationResult decide(
      Connection tx,
      AttestationRequest req,
      Nonce nonce,
      Appraiser.Inputs in,
      Instant now,
      AppraisalRecord.Builder record)
      throws SQLException {
    Device device = admissible(tx, req.deviceId());
    Appraiser.Enrolled enrolled = recordDevice(record, device);
    // Kept only for a device that may attest, where a replay can use them.
    record.keep(in.evidence()).keep(in.measurementLog());
    // Uploaded vendor collateral for this evidence (a VCEK, TCB info); the appraisal records it.
    Appraiser.Inputs withCollateral =
        in.withCollateral(collateral.forEvidence(tx, in.format(), in.evidence()));
    CompiledPolicy policy = activePolicy(record);
    var referenceValues = references.applicable(tx, device);
    Appraiser.Appraised appraised;
    try {
      appraised =
          spans.in(
              "arca.appraise",
              () ->
                  appraiser.appraise(
                      withCollateral, enrolled, referenceValues, policy, now, record));
    } catch (AppraisalException e) {
      throw problem(e);
    }
    ModelDecisions.Decided decided =
        models.decide(tx, req.models(), policy, appraised, enrolled.record(), now, record);
    String policyId = policy.name() + "@" + policy.version();
    if (decided.permitted().isEmpty()) {
      throw new ProblemException(
          ProblemType.POLICY_DENIED,
          "policy " + policyId + " permitted none of the requested models",
          Map.of("policy", policyId, "denials", ModelDecisions.toJson(decided.denied())));
    }
    List<Grant> granted =
        spans.in("arca.grant", () -> release(tx, device, decided, in.runtimePublicKey(), now));
    AuditReceipt receipt =
        spans.in(
            "arca.audit.append",
            () ->
                audit.append(
                    tx,
                    appraisedEvent(
                        device,
                        nonce,
                        policyId,
                        appraised.claims().tcb().get("tcbStatus"),
                        granted,
                        decided,
                        record),
                    now,
                    record.blobs()));
    if (in.usageKey() != null) {
      usageKeys.record(tx, device.id(), in.usageKey(), now, receipt.sequence());
    }
    String token =
        spans.in(
            "arca.token",
            () ->
                ear.issue(
                    device.id(),
                    in.runtimePublicKey(),
                    in.nonce(),
                    Map.of(
                        in.format(),
                        new EarIssuer.Submodule(
                            appraised.status().status(),
                            appraised.status().trustVector(),
                            policyId)),
                    granted,
                    now));
    granted.forEach(g -> meters.counter("arca.key.releases", "model", g.modelId()).increment());
    return new AttestationResult(
        token,
        appraised.status().status(),
        granted,
        decided.denied(),
        receipt.sequence(),
        receipt.receipt());
  }

  /** One grant per permitted model version, its key wrapped to {@code runtimeKey}. */
  private List<Grant> release(
      Connection tx, Device device, ModelDecisions.Decided decided, byte[] runtimeKey, Instant now)
      throws SQLException {
    List<Grant> granted = new ArrayList<>();
    for (ModelDecisions.Permitted p : decided.permitted()) {
      granted.add(
          grants.issue(tx, device.id(), p.mv(), p.dataClasses(), p.outcome(), runtimeKey, now));
    }
    return granted;
  }

  /** The request's inputs, decoded and recorded by digest ({@code nonce} already checked). */
  private Appraiser.Inputs inputs(
      AttestationRequest req, byte[] nonce, AppraisalRecord.Builder record) {
    byte[] runtimeKey = Base64Field.decode("runtimePublicKey", req.runtimePublicKey());
    byte[] evidence = Base64Field.decode("evidence", req.evidence());
    byte[] log =
        req.measurementLog() == null
            ? new byte[0]
            : Base64Field.decode("measurementLog", req.measurementLog());
    if (runtimeKey.length != 32) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "runtimePublicKey must be a 32-byte X25519 key");
    }
    byte[] usageKey =
        req.usageKey() == null ? null : Base64Field.decode("usageKey", req.usageKey());
    if (usageKey != null && usageKey.length != UsageKey.KEY_LENGTH) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "usageKey must be a 32-byte Ed25519 key");
    }
    if (!appraiser.knows(req.format())) {
      throw new ProblemException(
          ProblemType.UNKNOWN_FORMAT,
          "evidence format '" + req.format() + "' is not one this service appraises");
    }
    dev.require(req.format());
    record.inputs(
        sha256Hex(evidence),
        Base64Field.encode(nonce),
        Base64Field.encode(runtimeKey),
        sha256Hex(log));
    record.usageKey(usageKey == null ? null : Base64Field.encode(usageKey));
    return new Appraiser.Inputs(req.format(), evidence, nonce, runtimeKey, log)
        .withUsageKey(usageKey);
  }

  /** The device, if it may attest: enrolled, activated and not revoked. */
  private Device admissible(Connection tx, String deviceId) throws SQLException {
    Device device =
        devices
            .find(tx, deviceId)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.DEVICE_UNKNOWN, "device '" + deviceId + "' is not enrolled"));
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
    return device;
  }

  private CompiledPolicy activePolicy(AppraisalRecord.Builder record) {
    CompiledPolicy policy =
        policies
            .active()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.NO_ACTIVE_POLICY, "no policy is active; nothing is released"));
    record.policy(new AppraisalRecord.PolicyRef(policy.name(), policy.version(), policy.sha256()));
    return policy;
  }

  /** The device as the appraisal sees it, its stored enrolment kept by content. */
  private static Appraiser.Enrolled recordDevice(AppraisalRecord.Builder record, Device device) {
    byte[] enrolment;
    try {
      enrolment = CanonicalJson.canonicalize(device.enrolment());
    } catch (CanonicalJsonException e) {
      throw new IllegalStateException("stored enrolment of '" + device.id() + "' is not JSON", e);
    }
    AppraisalRecord.Device recorded =
        new AppraisalRecord.Device(
            device.id(),
            device.format(),
            device.identity(),
            sha256Hex(enrolment),
            device.attributes(),
            device.enrolledAt());
    record.device(recorded).keep(enrolment);
    return new Appraiser.Enrolled(recorded, device.enrolment());
  }

  /** The service's problem for an appraisal's rejection, with the same id and details. */
  private static ProblemException problem(AppraisalException e) {
    ProblemType type =
        ProblemType.byId(e.rejection().problemId())
            .orElseThrow(() -> new IllegalStateException("no problem type for " + e.rejection()));
    return new ProblemException(type, e.getMessage(), e.details());
  }

  /**
   * The audit event of a permit: the appraisal record (every input, by digest), the challenge it
   * redeemed, and for people and the auditor search the policy, the platform's TCB status where the
   * evidence reports one, grants and denials.
   */
  private static AuditEvent appraisedEvent(
      Device device,
      Nonce nonce,
      String policyId,
      String tcbStatus,
      List<Grant> granted,
      ModelDecisions.Decided decided,
      AppraisalRecord.Builder record) {
    List<Map<String, Object>> auditGrants = new ArrayList<>();
    for (int i = 0; i < granted.size(); i++) {
      Grant g = granted.get(i);
      auditGrants.add(
          Map.of(
              "grantId", g.grantId(),
              "model", g.modelId() + "@" + g.version(),
              "dataClasses", g.dataClasses(),
              "rules", decided.permitted().get(i).outcome().decidedBy()));
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("challenge", challenge(nonce));
    detail.put("policy", policyId);
    if (tcbStatus != null) {
      detail.put("tcbStatus", tcbStatus); // the vendor's word for the platform (SEV-SNP, TDX)
    }
    detail.put("grants", auditGrants);
    detail.put("denials", ModelDecisions.toJson(decided.denied()));
    detail.put("replay", record.build().toJson());
    String subject = "device:" + device.id();
    return new AuditEvent("attestation.appraised", subject, subject, "permit", detail);
  }

  /**
   * The challenge an entry redeems (challenges are not logged when issued, so this is where its
   * single use shows): the nonce's id, as {@code consumed_nonce} keys it, and its expiry.
   */
  private static Map<String, Object> challenge(Nonce nonce) {
    return Map.of(
        "nonceId", HexFormat.of().formatHex(nonce.id()), "expiresAt", nonce.expiresAt().toString());
  }

  /** The refusal, naming the audit entry that records it, as a permit's answer does. */
  private static ProblemException withAuditSequence(ProblemException e, long sequence) {
    Map<String, Object> extensions = new LinkedHashMap<>(e.extensions());
    extensions.put("auditSequence", sequence);
    return new ProblemException(e.type(), e.getMessage(), extensions, e);
  }

  /**
   * Records a rejected attestation (and uses up its nonce) in a transaction of its own.
   *
   * @return the entry's receipt
   */
  private AuditReceipt recordRejection(
      AttestationRequest req,
      ProblemException e,
      Nonce nonce,
      Instant now,
      AppraisalRecord.Builder record) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("problem", e.type().id());
    detail.put("detail", e.getMessage());
    detail.put("format", req.format());
    detail.put("challenge", challenge(nonce));
    e.extensions().forEach(detail::put);
    detail.put("replay", record.build().toJson());
    String subject = "device:" + req.deviceId();
    return db.inTransaction(
        tx -> {
          if (e.type() != ProblemType.NONCE_REPLAYED) {
            try {
              challenges.consume(tx, nonce);
            } catch (ProblemException replayed) {
              // Already used: nothing more to record about the nonce.
            }
          }
          return audit.append(
              tx,
              new AuditEvent("attestation.rejected", subject, subject, e.type().id(), detail),
              now,
              record.blobs());
        });
  }

  private Timer timer(String format) {
    return timers.computeIfAbsent(
        format,
        f ->
            Timer.builder("arca.attestation.latency")
                .tag("format", f)
                .publishPercentileHistogram()
                .register(meters));
  }

  private static String sha256Hex(byte[] b) {
    return HexFormat.of().formatHex(ReportData.sha256().digest(b));
  }
}
