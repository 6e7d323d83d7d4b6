// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.OpenedModel;
import dev.arca.crypto.seal.PlaintextCheck;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.SealedModelReader;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.usage.UsageKey;
import dev.arca.runtime.attester.Attester;
import dev.arca.runtime.boot.CryptoWarmup;
import dev.arca.runtime.boot.Hardening;
import dev.arca.runtime.boot.MeasurementLog;
import dev.arca.runtime.infer.InferenceHandler;
import dev.arca.runtime.infer.RuntimeHttpServer;
import dev.arca.runtime.infer.RuntimeMetrics;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.lease.SealedLease;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.lease.TimeFloorClock;
import dev.arca.runtime.model.LoadedModel;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.runtime.model.Wipe;
import dev.arca.runtime.service.Backoff;
import dev.arca.runtime.service.Grant;
import dev.arca.runtime.service.ServiceClient;
import dev.arca.runtime.service.ServiceException;
import dev.arca.runtime.update.VersionFloor;
import dev.arca.runtime.usage.UsageCounts;
import dev.arca.runtime.usage.UsageQueue;
import dev.arca.runtime.usage.UsageReporter;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The device runtime's life: harden, measure, attest, receive grants, unseal models in memory,
 * serve encrypted inference, and re-attest before the token expires. Each step is logged as one
 * line through the given sink; no key, model byte or input is ever logged or written to disk (only
 * sealed packages are downloaded to the state folder).
 */
public final class RuntimeAgent implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the runtime is told at start. */
  public record Config(
      URI service,
      InetSocketAddress listen,
      Path stateDir,
      List<ServiceClient.ModelRequest> models,
      PublisherKeyRing publishers,
      boolean insecure) {}

  private final Config config;
  private final Attester attester;
  private final Clock clock;
  private final Consumer<String> log;
  private final ServiceClient service;
  private final ModelHost host;
  private final AtomicReference<String> token = new AtomicReference<>();
  private final AtomicReference<Standing> standing = new AtomicReference<>();
  // Set by each successful attestation: when it happened and its grants' shortest
  // reattestationSeconds obligation.
  private volatile Instant lastAttested;
  // The audit log index of the last successful attestation's decision: where events start.
  private volatile long lastAuditSequence = -1;
  private volatile OptionalLong reattestEvery = OptionalLong.empty();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "arca-reattest");
            t.setDaemon(true);
            return t;
          });
  // Owned by the re-attestation schedule (boot, then the timer's thread): waits after failures.
  private final Backoff backoff = Backoff.standard(new SplittableRandom());
  // The last failure of a call to the service, so boot can tell it from any other failure.
  private volatile Exception lastServiceFailure;
  private HpkePrivateKey runtimeKey;
  // Derived from runtimeKey: signs the usage reports; attested with it.
  private UsageKey usageKey;
  private UsageReporter usage;
  private MeasurementLog measurements;
  private VersionFloor floor;
  // The last attestation kept for a reboot during an outage; null without a sealer (dev).
  private SealedLease sealedLease;
  private RuntimeHttpServer server;
  private EventWatcher events;
  private CryptoWarmup warmup;

  /** Runs a task once after a delay: the re-attestation schedule's timer. */
  interface Timer {
    void schedule(Duration delay, Runnable task);
  }

  private final Timer timer;

  public RuntimeAgent(Config config, Attester attester, Clock clock, Consumer<String> log) {
    this(config, attester, clock, log, null);
  }

  /**
   * @param timer the re-attestation timer; {@code null} for the agent's own thread (a test passes
   *     one it fires by hand, with a clock it controls)
   */
  RuntimeAgent(Config config, Attester attester, Clock clock, Consumer<String> log, Timer timer) {
    this.config = config;
    this.attester = attester;
    // Leases, standing and schedules run on a clock that never goes back, across restarts too.
    this.clock = TimeFloorClock.open(config.stateDir(), clock, log);
    this.log = log;
    this.timer =
        timer != null
            ? timer
            : (delay, task) -> {
              // The task reports its own failures; nobody waits on or cancels the future.
              var unused = scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            };
    this.host =
        new ModelHost(
            m ->
                log.accept(
                    "closed: "
                        + m.manifest().modelId()
                        + " v"
                        + m.manifest().version()
                        + " after its last request; its session and weights are freed"));
    this.service = new ServiceClient(config.service());
    this.standing.set(new Standing.Offline(clock.instant(), "not attested yet"));
  }

  /**
   * Boots: every step must succeed, or the runtime does not serve (fail closed). The one exception
   * is the attestation service: unreachable or refusing at boot, the runtime starts anyway, serves
   * nothing ({@code /readyz} 503, {@code /healthz} says why) and keeps trying with jittered
   * exponential backoff until an attestation succeeds; a clinic box that boots during a WAN outage
   * must come up by itself when the network does.
   *
   * @throws Exception naming the step that failed
   */
  public void boot() throws Exception {
    Hardening.Report hardening = Hardening.apply(config.insecure());
    warmup = CryptoWarmup.start();
    log.accept(
        "harden: "
            + (hardening.secure()
                ? "no debugger or agent, process not dumpable"
                : "INSECURE " + hardening.insecureFlags()));
    measurements = measure(hardening);
    attester.extendAll(measurements.entries().stream().map(MeasurementLog.Entry::sha256).toList());
    log.accept("measure: " + measurements.entries().size() + " entries");
    runtimeKey = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, RANDOM);
    usageKey = usageKeyOf(runtimeKey);
    usage =
        new UsageReporter(
            attester.deviceId(),
            new UsageCounts(clock.instant()),
            UsageQueue.open(config.stateDir(), UsageQueue.DEFAULT_CAPACITY));
    floor = VersionFloor.open(config.stateDir(), attester.versionCounter());
    sealedLease = attester.sealer().map(s -> SealedLease.in(config.stateDir(), s)).orElse(null);
    firstAttestation();
    KeyConfig keyConfig =
        KeyConfig.of(
            keyId(runtimeKey.publicKey().bytes()),
            runtimeKey.publicKey(),
            List.of(KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM)));
    server =
        new RuntimeHttpServer(
            config.listen(),
            OhttpGateway.of(keyConfig, runtimeKey),
            new InferenceHandler(host, clock, standing::get, usage.counts()),
            token::get,
            host,
            standing::get,
            this::metrics);
    log.accept(
        "serve: encrypted inference on port "
            + server.port()
            + " "
            + host.served()
            + (host.served().isEmpty() ? " (nothing until an attestation succeeds)" : ""));
    scheduleReattestation();
    events =
        new EventWatcher(
            service,
            attester.deviceId(),
            token::get,
            () -> lastAuditSequence,
            config.models().stream().map(ServiceClient.ModelRequest::modelId).toList(),
            this::reattestNow,
            log);
    events.start();
  }

  /**
   * The first attestation round. A service that could not be used or refused is logged and retried
   * by the schedule (a service that could not be used first lets the lease sealed before a reboot
   * serve, {@link #resumeOffline}); any other failure (a tampered package, a rollback, ...) is
   * thrown.
   */
  private void firstAttestation() throws Exception {
    try {
      attestAndLoad();
    } catch (Exception e) {
      if (e != lastServiceFailure) {
        throw e;
      }
      log.accept(
          "attest: the service "
              + (standing.get() instanceof Standing.Refused ? "refused" : "could not be used")
              + " at boot ("
              + e.getMessage()
              + "); serving nothing, retrying");
      if (sealedLease != null && !(standing.get() instanceof Standing.Refused)) {
        resumeOffline();
      }
    }
  }

  /**
   * Serves on after a reboot during an outage: unseals the lease the last boot kept ({@link
   * SealedLease}), takes back that boot's runtime key and token, and loads each granted model whose
   * offline allowance lasts from its stored package, through the same checks as a fresh grant
   * (manifest digest, version floor, key release bound to the grant). A lease that cannot be
   * unsealed (another boot chain, a modified runtime) serves nothing.
   */
  private void resumeOffline() {
    SealedLease.Restored restored = null;
    ServiceClient.Attestation a;
    try {
      Optional<SealedLease.Restored> r = sealedLease.restore();
      if (r.isEmpty()) {
        return;
      }
      restored = r.get();
      a = ServiceClient.attestation(JSON.readTree(restored.attestation()));
    } catch (IOException e) {
      if (restored != null) {
        restored.runtimeKey().destroy();
      }
      log.accept("resume: the sealed offline lease cannot be used (" + e.getMessage() + ")");
      return;
    }
    // The grants' data keys are wrapped to the last boot's key: load with it.
    HpkePrivateKey fresh = runtimeKey;
    runtimeKey = restored.runtimeKey();
    Instant now = clock.instant();
    for (Grant g : a.grants()) {
      Lease lease = lease(g);
      if (g.obligations().offlineAllowanceSeconds().isEmpty()
          || !now.isBefore(lease.offlineUntil())) {
        continue;
      }
      try {
        load(g, lease);
      } catch (Exception e) {
        log.accept(
            "resume: " + g.modelId() + " v" + g.version() + " not served: " + e.getMessage());
      }
    }
    if (host.served().isEmpty()) {
      log.accept("resume: no offline allowance left in the sealed lease");
      deleteSealedLease();
      runtimeKey.destroy();
      runtimeKey = fresh;
      return;
    }
    fresh.destroy();
    usageKey.destroy();
    usageKey = usageKeyOf(runtimeKey);
    token.set(a.token());
    lastAuditSequence = a.raw().path("auditSequence").asLong(-1);
    log.accept(
        "resume: serving "
            + host.served()
            + " from the lease sealed to this device's TPM, until "
            + host.offlineUntil().orElseThrow()
            + " unless the service answers first");
  }

  /**
   * Keeps an attestation for a reboot during an outage when the policy allows one of its grants
   * offline use (an {@code offlineAllowanceSeconds} obligation); otherwise deletes what was kept.
   * Failing to keep it costs only that resumption, so it is logged, not thrown.
   */
  private void keepForOffline(ServiceClient.Attestation a) {
    if (sealedLease == null) {
      return;
    }
    boolean offlineGranted =
        a.grants().stream().anyMatch(g -> g.obligations().offlineAllowanceSeconds().isPresent());
    try {
      if (offlineGranted) {
        sealedLease.save(runtimeKey, JSON.writeValueAsBytes(a.raw()));
      } else {
        sealedLease.delete();
      }
    } catch (IOException e) {
      log.accept(
          "offline lease: not kept ("
              + e.getMessage()
              + "); a reboot during an outage will serve nothing");
    }
  }

  private void deleteSealedLease() {
    if (sealedLease == null) {
      return;
    }
    try {
      sealedLease.delete();
    } catch (IOException e) {
      log.accept("offline lease: cannot delete it (" + e.getMessage() + ")");
    }
  }

  /**
   * Offline, stops serving each model whose offline allowance has ended: its session is closed and
   * its memory wiped. When none is left the sealed lease goes too.
   */
  private synchronized void dropEndedOfflineLeases() {
    if (!(standing.get() instanceof Standing.Offline)) {
      return;
    }
    Instant now = clock.instant();
    Map<String, Long> served = host.served();
    List<String> ended = host.removeIf(m -> !now.isBefore(m.lease().offlineUntil()));
    ended.forEach(id -> unloaded(id, served.getOrDefault(id, 0L), "offline-allowance-ended"));
    if (!ended.isEmpty()) {
      log.accept(
          "offline: the offline allowance of "
              + ended
              + " ended; their sessions are closed and no longer served");
      if (host.served().isEmpty()) {
        deleteSealedLease();
      }
    }
  }

  /**
   * The OHTTP key id of a runtime key: the first byte of SHA-256 of the public key. Each boot
   * generates a new key, so a client still holding the previous boot's key configuration names
   * (with probability 255/256) an id this gateway does not hold and is told to fetch the key
   * configuration again (RFC 9458 section 5.3) instead of getting an undecryptable-request error.
   */
  static int keyId(byte[] publicKey) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(publicKey)[0] & 0xff;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The port the inference endpoint listens on. */
  public int port() {
    return server.port();
  }

  /** The current EAR token, null before the first attestation. */
  public String token() {
    return token.get();
  }

  /** What the runtime last heard from the service: online, offline or refused. */
  public Standing standing() {
    return standing.get();
  }

  /** Model versions served. */
  public Map<String, Long> served() {
    return host.served();
  }

  private MeasurementLog measure(Hardening.Report hardening) throws IOException {
    MeasurementLog m = new MeasurementLog();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator, -1)) {
      Path p = Path.of(entry);
      if (!entry.isEmpty() && Files.isRegularFile(p)) {
        m.measureFile("jar:" + p.getFileName(), p);
      }
    }
    // What the JVM started with, as hardening checked it: the exact list and each argument by
    // name, so the service and auditors see it.
    m.measureJvmArguments(hardening.jvmArguments());
    String flags =
        "attester=" + attester.format() + "\ninsecure=" + hardening.insecureFlags() + "\n";
    m.measure("flags", flags.getBytes(StandardCharsets.UTF_8));
    // One entry per insecure finding, named by its id: the log is bound into the evidence's
    // report data, so the service sees by name that this runtime started insecure.
    for (String flag : hardening.insecureFlags()) {
      m.measure("insecure:" + flag, flag.getBytes(StandardCharsets.UTF_8));
    }
    m.measure(
        "config",
        ("service=" + config.service() + "\nmodels=" + config.models() + "\n")
            .getBytes(StandardCharsets.UTF_8));
    return m;
  }

  /**
   * One attestation round: challenge, evidence, grants, models. A service that cannot be used (I/O
   * error, timeout, 5xx, 408, 429) puts the runtime offline: it serves on until each lease's
   * offline allowance ends. A definitive refusal (any other 4xx, e.g. a revoked device) ends all
   * serving at once ({@link #refused}).
   */
  private synchronized void attestAndLoad() throws Exception {
    byte[] logBytes = measurements.text().getBytes(StandardCharsets.UTF_8);
    byte[] runtimePublic = runtimeKey.publicKey().bytes();
    byte[] usagePublic = usageKey.publicKey();
    ServiceClient.Challenge challenge = call(service::challenge);
    byte[] reportData = ReportData.ofLog(challenge.nonce(), runtimePublic, logBytes, usagePublic);
    byte[] evidence = attester.evidence(reportData);
    ServiceClient.Attestation a =
        call(
            () ->
                service.attest(
                    attester.deviceId(),
                    attester.format(),
                    evidence,
                    challenge,
                    runtimePublic,
                    usagePublic,
                    logBytes,
                    config.models()));
    Instant attestedAt = clock.instant();
    standing.set(new Standing.Online(attestedAt));
    lastAttested = attestedAt;
    lastAuditSequence = a.raw().path("auditSequence").asLong(-1);
    reattestEvery =
        a.grants().stream()
            .map(g -> g.obligations().reattestationSeconds())
            .filter(OptionalLong::isPresent)
            .mapToLong(OptionalLong::getAsLong)
            .min();
    token.set(a.token());
    log.accept(
        "attest: "
            + attester.format()
            + " evidence accepted, status "
            + a.status()
            + ", "
            + a.grants().size()
            + " grant(s)"
            + (a.denials().isEmpty() ? "" : ", denied " + a.denials())
            + (reattestEvery.isPresent()
                ? ", re-attest within " + reattestEvery.getAsLong() + " s"
                : ""));
    try {
      apply(a);
    } finally {
      // Attested: the reports go now, also when a grant then fails to load (a rollback).
      reportUsage(true);
    }
  }

  /**
   * Serves what an attestation granted: drops what it no longer grants, renews the leases of the
   * versions served, loads new ones, and keeps the answer for a reboot during an outage.
   */
  private void apply(ServiceClient.Attestation a) throws Exception {
    dropWithdrawn(a.grants());
    for (Grant g : a.grants()) {
      if (!g.obligations().unknown().isEmpty()) {
        log.accept(
            "obligations: "
                + g.modelId()
                + " carries "
                + g.obligations().unknown()
                + ", which this runtime does not enforce");
      }
      Optional<Long> current = Optional.ofNullable(host.served().get(g.modelId()));
      Lease lease = lease(g);
      if (current.isPresent() && current.get() == g.version()) {
        host.use(g.modelId())
            .ifPresent(
                u -> {
                  try (u) {
                    u.model().renew(lease);
                  }
                });
        continue;
      }
      load(g, lease);
    }
    keepForOffline(a);
  }

  /**
   * Ends the usage period and queues its signed report; online, uploads every queued report with
   * the token just received. A failure keeps the reports for the next attestation: it is logged,
   * never thrown, since usage reporting must not stop inference.
   */
  private void reportUsage(boolean online) {
    try {
      usage.cut(usageKey, clock.instant());
      if (!online) {
        return;
      }
      String current = token.get();
      UsageReporter.Uploaded sent =
          usage.upload(reports -> service.uploadUsage(attester.deviceId(), current, reports));
      if (sent.any()) {
        log.accept(
            "usage: "
                + sent.accepted()
                + " report(s) accepted"
                + (sent.duplicates() == 0 ? "" : ", " + sent.duplicates() + " already received")
                + (sent.rejections().isEmpty() ? "" : ", rejected " + sent.rejections()));
      }
    } catch (IOException e) {
      log.accept("usage: reports kept for the next attestation (" + e.getMessage() + ")");
    }
  }

  /** The text of {@code /metrics}. */
  private String metrics() {
    OptionalInt queued;
    try {
      queued = OptionalInt.of(usage.queued());
    } catch (IOException e) {
      queued = OptionalInt.empty();
    }
    return RuntimeMetrics.render(
        usage.counts().totals(), host.served(), standing.get(), host.offlineUntil(), queued);
  }

  /** Notes in the usage report that a model version is no longer served, and why. */
  private void unloaded(String modelId, long version, String reason) {
    usage.counts().unloaded(modelId, version, reason, clock.instant());
  }

  /** The usage-report key of a runtime key (derived, so a resumed lease brings it back too). */
  private static UsageKey usageKeyOf(HpkePrivateKey key) {
    byte[] scalar;
    try {
      scalar = key.bytes(InsecureSecretKeyAccess.get());
    } catch (HpkeException e) {
      throw new IllegalStateException("the runtime key was destroyed while in use", e);
    }
    try {
      return UsageKey.derivedFrom(scalar);
    } finally {
      Wipe.bytes(scalar);
    }
  }

  private static Lease lease(Grant g) {
    return new Lease(
        g.modelId(),
        g.version(),
        java.util.Set.copyOf(g.dataClasses()),
        g.leaseExpiresAt(),
        g.offlineUntil(),
        g.obligations());
  }

  /**
   * Stops serving, at once, every model the service no longer grants at the version served: not
   * granted at all (revoked without a successor, withdrawn by policy) or granted at a lower version
   * (the served one was revoked; the version floor then refuses the older one, so the model stays
   * down until a newer version is published). A model granted at a higher version keeps serving
   * until the new one is loaded beside it and swapped in.
   */
  private void dropWithdrawn(List<Grant> grants) {
    Map<String, Long> granted = new java.util.HashMap<>();
    grants.forEach(g -> granted.merge(g.modelId(), g.version(), Math::max));
    host.served()
        .forEach(
            (id, version) -> {
              Long now = granted.get(id);
              if (now == null || now < version) {
                host.remove(id);
                unloaded(id, version, now == null ? "withdrawn" : "revoked");
                log.accept(
                    "withdrawn: "
                        + id
                        + " v"
                        + version
                        + (now == null
                            ? " is no longer granted"
                            : " was superseded by a grant of v" + now + " (revoked)")
                        + "; its session is closed and no longer served");
              }
            });
  }

  /**
   * Verifies, unwraps and unseals one granted model into memory. A sealed package already in the
   * state folder (a restart) is used without downloading it again: it is verified exactly like a
   * fresh one, and if it fails (truncated, tampered, another package) it is fetched again once.
   */
  private void load(Grant g, Lease lease) throws Exception {
    floor.check(g.modelId(), g.version());
    if (warmup != null) {
      warmup.await(10_000);
    }
    Path packages = Files.createDirectories(config.stateDir().resolve("packages"));
    Path sealed = packages.resolve(safe(g.modelId()) + "-" + g.version() + ".sealed");
    if (Files.isRegularFile(sealed)) {
      try {
        unseal(sealed, g, lease);
        return;
      } catch (Exception e) {
        log.accept(
            "cache: the stored package for "
                + g.modelId()
                + " v"
                + g.version()
                + " was refused ("
                + e.getMessage()
                + "); downloading it again");
        Files.deleteIfExists(sealed);
      }
    }
    service.download(g, sealed);
    unseal(sealed, g, lease);
  }

  /** A call to the service. */
  private interface ServiceCall<T> {
    T run() throws IOException;
  }

  /** Runs a call to the service; its failure sets the runtime's standing, then is rethrown. */
  private <T> T call(ServiceCall<T> c) throws IOException {
    try {
      return c.run();
    } catch (ServiceException e) {
      if (Standing.isRefusal(e.status())) {
        refused(e);
      } else {
        offline(e.status() == 0 ? e.getMessage() : "HTTP " + e.status() + " " + e.type());
      }
      lastServiceFailure = e;
      throw e;
    } catch (IOException e) {
      offline(String.valueOf(e.getMessage()));
      lastServiceFailure = e;
      throw e;
    }
  }

  /**
   * Goes (or stays) offline: leases run on to their offline allowance. A refused runtime stays
   * refused: only a successful attestation ends a refusal, not a later network failure.
   */
  private void offline(String reason) {
    Standing before = standing.get();
    if (before instanceof Standing.Refused) {
      return; // only a successful attestation ends a refusal
    }
    if (before instanceof Standing.Offline o) {
      // Since when stays; the reason is the latest failure's (what /healthz and --check report).
      standing.set(new Standing.Offline(o.since(), reason));
      return;
    }
    standing.set(new Standing.Offline(clock.instant(), reason));
    if (before instanceof Standing.Online) {
      log.accept("offline: " + reason + "; serving until each lease's offline allowance ends");
    }
  }

  /**
   * The service refused this runtime: stop serving at once, whatever the leases or their offline
   * allowance say. The token is dropped and every model is removed from the host, which closes its
   * ONNX Runtime session once in-flight requests finish (data keys were destroyed at unseal, and
   * grants are not kept). The next successful attestation serves again.
   */
  private void refused(ServiceException e) {
    standing.set(new Standing.Refused(clock.instant(), e.status(), e.type()));
    token.set(null);
    Map<String, Long> dropped = host.served();
    dropped.forEach(
        (id, version) -> {
          host.remove(id);
          unloaded(id, version, "refused");
        });
    deleteSealedLease();
    log.accept(
        "refused: the service answered HTTP "
            + e.status()
            + " "
            + e.type()
            + " ("
            + e.getMessage()
            + "); inference refused, sessions of "
            + dropped.keySet()
            + " closed, until an attestation succeeds");
  }

  private void unseal(Path sealed, Grant g, Lease lease) throws Exception {
    try (FileChannel channel = FileChannel.open(sealed, StandardOpenOption.READ)) {
      SealedModelReader reader = SealedModel.read(channel, config.publishers());
      Manifest manifest = reader.manifest();
      if (!MessageDigest.isEqual(manifest.digest(), g.manifestDigest())
          || !manifest.modelId().equals(g.modelId())
          || manifest.version() != g.version()) {
        throw new IOException(
            "the package for " + g.modelId() + " v" + g.version() + " is not the one granted");
      }
      DataKey dataKey =
          KeyRelease.unwrap(
              WrappedKey.decode(g.wrappedKey()),
              runtimeKey,
              KeyReleaseInfo.of(g.grantId(), g.modelId(), g.version(), g.manifestDigest()));
      OnnxModel model;
      try (OpenedModel opened = reader.decrypt(dataKey, null, PlaintextCheck.SHA256)) {
        model = OnnxModel.load(opened.plaintext());
      } finally {
        dataKey.destroy();
      }
      floor.accept(g.modelId(), g.version());
      Long previous = host.served().get(g.modelId());
      host.install(new LoadedModel(manifest, model, lease));
      if (previous != null && previous != g.version()) {
        unloaded(g.modelId(), previous, "superseded");
      }
      log.accept(
          "unseal: "
              + g.modelId()
              + " v"
              + g.version()
              + " decrypted in memory for "
              + g.dataClasses()
              + " until "
              + g.leaseExpiresAt());
    }
  }

  /** Runs one re-attestation round now, as the schedule does: a failure is logged, not thrown. */
  public void reattestNow() {
    try {
      attestAndLoad();
    } catch (Exception e) {
      // Offline: keep serving on the current leases (offline allowance); refused: serve
      // nothing. Either way, try again soon.
      dropEndedOfflineLeases();
      synchronized (this) {
        reportUsage(false);
      }
      log.accept(
          "re-attest failed, "
              + (standing.get() instanceof Standing.Refused
                  ? "serving nothing: "
                  : "serving on current leases: ")
              + e.getMessage());
    }
  }

  private void scheduleReattestation() {
    Duration wait;
    if (standing.get() instanceof Standing.Online) {
      backoff.succeeded();
      wait = untilRefresh();
    } else {
      // The last attempt failed (offline or refused): back off, so a fleet does not hammer a
      // service that is down or coming back, nor retry in lockstep.
      wait = backoff.failed();
      log.accept(
          "retry: attempt "
              + (backoff.failures() + 1)
              + " in "
              + wait.toMillis()
              + " ms ("
              + standing.get().name()
              + ")");
    }
    timer.schedule(
        wait,
        () -> {
          reattestNow();
          scheduleReattestation();
        });
  }

  /** When the next attestation is due, from the current token and the last attestation. */
  private Duration untilRefresh() {
    Optional<Instant> expiry = Optional.empty();
    try {
      String[] parts = token.get().split("\\.", -1);
      JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      long exp = payload.path("exp").asLong(0);
      if (exp != 0) {
        expiry = Optional.of(Instant.ofEpochSecond(exp));
      }
    } catch (IOException | RuntimeException e) {
      // no token (refused) or no readable expiry: the default interval
    }
    Instant last = lastAttested;
    return nextAttestationIn(
        clock.instant(), expiry, last == null ? clock.instant() : last, reattestEvery);
  }

  /**
   * How long the runtime waits before its next attestation: two thirds of the token's remaining
   * life, at least 5 s (60 s when there is no token expiry), but never past {@code
   * reattestationSeconds} after the last successful attestation (the grants' obligation, when they
   * carry one). Used only after a successful attestation (failed attempts are spaced by the
   * backoff); should that instant still have passed, the wait is 5 s, or {@code
   * reattestationSeconds} if that is shorter.
   *
   * @param tokenExpiry the current token's {@code exp}, if any
   * @param lastAttested the last successful attestation
   * @param reattestationSeconds the shortest {@code reattestationSeconds} of the current grants
   */
  static Duration nextAttestationIn(
      Instant now,
      Optional<Instant> tokenExpiry,
      Instant lastAttested,
      OptionalLong reattestationSeconds) {
    Duration wait =
        tokenExpiry
            .map(
                exp ->
                    Duration.ofSeconds(
                        Math.max(5, (exp.getEpochSecond() - now.getEpochSecond()) * 2 / 3)))
            .orElse(Duration.ofSeconds(60));
    if (reattestationSeconds.isPresent()) {
      Duration every = Duration.ofSeconds(reattestationSeconds.getAsLong());
      Duration due = Duration.between(now, lastAttested.plus(every));
      Duration retry = every.compareTo(Duration.ofSeconds(5)) < 0 ? every : Duration.ofSeconds(5);
      Duration byObligation = due.isNegative() || due.isZero() ? retry : due;
      if (byObligation.compareTo(wait) < 0) {
        wait = byObligation;
      }
    }
    return wait;
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
    scheduler.shutdownNow();
    if (server != null) {
      server.close();
    }
    if (usage != null) {
      synchronized (this) {
        reportUsage(false); // the last period, uploaded after the next boot attests
      }
      usageKey.destroy();
    }
    host.close();
    if (runtimeKey != null) {
      runtimeKey.destroy();
    }
  }
}
