// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import dev.arca.client.RuntimeClient;
import dev.arca.client.ear.EarException;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.load.SteadyLoad;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.devstack.AccessToken;
import dev.arca.devstack.JavaLauncher;
import dev.arca.devstack.KeycloakDistribution;
import dev.arca.devstack.KeycloakLauncher;
import dev.arca.devstack.ManagedProcess;
import dev.arca.devstack.Narrator;
import dev.arca.devstack.ProcessSupervisor;
import dev.arca.devstack.RepositoryLayout;
import dev.arca.devstack.RunningKeycloak;
import dev.arca.devstack.RunningService;
import dev.arca.devstack.ServiceProcess;
import dev.arca.devstack.Swtpm;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.model.ModelLoadException;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.tpm.DeviceKeys;
import dev.arca.tpm.TpmEnroller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The multi-process demo behind {@code arca demo}: a real Keycloak, the attestation service (with
 * its embedded PostgreSQL) and a device runtime as child processes under one {@link
 * ProcessSupervisor}, and every user's step through the service's real REST API. Whatever happens
 * (success, a failed step, Ctrl-C) every child is stopped before {@link #run} returns.
 */
final class DemoRun {
  static final String MODEL_ID = "demo-model";
  static final String TPM_DEVICE = "tpm-workstation-1";
  private static final String AUTOMATION_CLIENT = "arca-automation";
  // The realm's demo client and test users (attestation-service/src/main/keycloak/arca-realm.json):
  // development credentials published in the repository, not secrets.
  private static final String AUTOMATION_SECRET = "arca-automation-secret";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the user asked for. */
  record Options(
      Path model,
      Path input,
      Path output,
      String dataClass,
      Path policy,
      Path runDirectory,
      Path report,
      boolean noTpm,
      boolean terminal,
      boolean keep) {}

  private final Options options;
  private final PrintWriter out;
  private final Map<String, Object> outcomes = new LinkedHashMap<>();
  private URI serviceUrl;
  private Swtpm tpm;
  private RunningKeycloak keycloak;
  private Runtimes runtimes;
  private String inputName;
  private final CountDownLatch stopped = new CountDownLatch(1);
  // What the summary counted before --keep waited; an interruption before then counts as failed.
  private int failedBeforeKeeping = 1;

  DemoRun(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Runs every step; returns the exit code (0 all steps ok, 1 a step failed). */
  // The stack is closed early on purpose (runtimes before the TPM they use); the try still
  // closes it on every other path.
  @SuppressWarnings("try")
  int run() throws Exception {
    RepositoryLayout repo = RepositoryLayout.find(Path.of(System.getProperty("arca.home", ".")));
    Path runDir =
        options.runDirectory() != null
            ? options.runDirectory()
            : Files.createTempDirectory("arca-demo-");
    Narrator n = new Narrator(out, options.terminal(), System::nanoTime, 10);
    n.title("Arca demo: a sealed model, an attested runtime, encrypted inference, a verified log");
    n.note("Every part runs as its own process; logs in " + runDir);
    byte[] onnx =
        options.model() != null ? Files.readAllBytes(options.model()) : resource("conv2d.onnx");
    // Read with ONNX Runtime before any part starts: ONNX Runtime's own shutdown hook frees its
    // environment, and a Ctrl-C that found a session being made would crash this JVM before its
    // hook stopped Keycloak and the service (DemoEndToEndTest saw Keycloak left running).
    inputName = firstInput(onnx);
    Tensor request = request();
    Tensor expected = expectedOutput();
    boolean withTpm = !options.noTpm() && Swtpm.missingTools().isEmpty();
    // PHI needs a hardware-rooted runtime: without a TPM the application's request is synthetic.
    String dataClass =
        options.dataClass() != null ? options.dataClass() : withTpm ? "phi" : "synthetic";
    int failed;
    boolean ranThrough = false; // not stopped by Ctrl-C, not kept (--keep printed the guide)
    try (ProcessSupervisor stack = ProcessSupervisor.create(runDir)) {
      java.util.concurrent.atomic.AtomicBoolean summarised =
          new java.util.concurrent.atomic.AtomicBoolean();
      stack.onShutdownSignal(
          () -> {
            out.println();
            if (summarised.compareAndSet(false, true)) {
              out.println("interrupted: stopping the runtimes, the service and Keycloak");
              n.summary();
            } else {
              out.println("stopping the runtimes, the service and Keycloak");
            }
            out.flush();
            stopped.countDown();
          });
      try {
        if (!options.noTpm() && Swtpm.missingTools().isEmpty()) {
          tpm = Swtpm.start(); // stopped below, and by its own shutdown hook on Ctrl-C
        }
        steps(n, repo, stack, runDir, onnx, request, expected, dataClass);
        if (options.keep() && summarised.compareAndSet(false, true)) {
          failedBeforeKeeping = n.summary();
          writeReport(failedBeforeKeeping); // Ctrl-C ends the JVM while the stack stops
          keepRunning(runDir, dataClass);
        }
      } catch (StepFailed e) {
        n.note("stopped after a failed step: " + e.getMessage());
      } finally {
        Arrays.fill(onnx, (byte) 0);
        stack.close(); // runtimes first, while their TPM still answers
        if (tpm != null) {
          tpm.close();
        }
        ranThrough = summarised.compareAndSet(false, true);
        failed = ranThrough ? n.summary() : failedBeforeKeeping;
      }
    }
    writeReport(failed);
    out.println("Everything stopped; logs kept in " + runDir);
    if (ranThrough && serviceUrl != null) {
      ExploreGuide.console(serviceUrl).forEach(out::println);
    }
    out.flush();
    return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
  }

  private void writeReport(int failed) throws IOException {
    outcomes.put("stepsFailed", failed);
    if (options.report() != null) {
      Files.writeString(options.report(), JSON.writeValueAsString(outcomes));
    }
  }

  /**
   * {@code --keep}: prints where everything runs and what to try ({@link ExploreGuide}), then waits
   * until Ctrl-C (or SIGTERM), whose shutdown hook stops every child.
   */
  private void keepRunning(Path runDir, String dataClass) throws Exception {
    Path config = runDir.resolve("config");
    Instant expires = Instant.MAX;
    for (String user : ExploreGuide.USERS) {
      Instant e = cacheLogin(keycloak, config, user);
      expires = e.isBefore(expires) ? e : expires;
    }
    Path input = options.input();
    if (input == null) {
      input = Files.write(runDir.resolve("input.pb"), resource("conv2d-input.pb"));
    }
    Path script = Path.of(System.getProperty("arca.home", ".")).resolve("arca");
    ExploreGuide.Stack stack =
        new ExploreGuide.Stack(
            serviceUrl,
            keycloak.baseUrl(),
            keycloak.realmUrl(),
            runtimes.tpm(),
            runtimes.dev(),
            config,
            expires.truncatedTo(ChronoUnit.SECONDS),
            input,
            inputName,
            dataClass,
            Files.isExecutable(script) ? script.toString() : "arca");
    ExploreGuide.lines(stack).forEach(out::println);
    out.flush();
    stopped.await();
  }

  /** The application's request: {@code --input}, else the bundled model's recorded input. */
  private Tensor request() throws IOException, TensorFormatException {
    return TensorProtoCodec.decode(
        options.input() != null ? Files.readAllBytes(options.input()) : resource("conv2d-input.pb"),
        "input");
  }

  /** The bundled model's recorded output; {@code null} for a model of the user's own. */
  private Tensor expectedOutput() throws IOException, TensorFormatException {
    return options.model() == null
        ? TensorProtoCodec.decode(resource("conv2d-output.pb"), "output")
        : null;
  }

  /** Thrown to end the demo after a step failed (already narrated). */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message);
    }
  }

  /** The two runtimes step 5 started: the TPM one ({@code null} without a TPM) and the dev one. */
  private record Runtimes(URI tpm, URI dev) {
    /** Where the application's request goes: the TPM runtime when there is one. */
    URI target() {
      return tpm != null ? tpm : dev;
    }
  }

  /** The ten narrated steps, in order; each one's method says what it proves. */
  private void steps(
      Narrator n,
      RepositoryLayout repo,
      ProcessSupervisor stack,
      Path runDir,
      byte[] onnx,
      Tensor request,
      Tensor expected,
      String dataClass)
      throws Exception {
    RunningKeycloak kc = startInfrastructure(n, repo, stack, runDir);
    keycloak = kc;
    // The publisher handed its public key ring to the security team.
    PublisherSigningKey publisher =
        PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "demo-publisher");
    Path ring = runDir.resolve("publishers.json");
    Files.writeString(ring, PublisherKeyRing.of(publisher.publicKey()).toJson());
    applyPolicy(n, kc, publisher);
    publish(n, kc, publisher, runDir, onnx, request, dataClass);
    Path devState = runDir.resolve("dev-runtime-state");
    DevRuntimeAttester devDevice = DevRuntimeAttester.open(devState, Clock.systemUTC());
    Path tpmState = runDir.resolve("tpm-runtime-state");
    enrolDevices(n, kc, devDevice, tpmState);
    runtimes = startRuntimes(n, stack, ring, tpmState, devState, dataClass);
    inferEncrypted(n, runtimes.target(), inputName, request, expected, dataClass);
    updateUnderLoad(n, kc, publisher, runDir, onnx, request, dataClass);
    refusePhiToDevRuntime(n, kc, runtimes.dev(), devDevice, inputName, request);
    revokeDeviceUnderLoad(n, kc, devDevice, request);
    auditorVerifies(n, kc, runDir);
  }

  /** Step 1: Keycloak and the service (with its PostgreSQL) as processes; sets the service URL. */
  private RunningKeycloak startInfrastructure(
      Narrator n, RepositoryLayout repo, ProcessSupervisor stack, Path runDir) throws Exception {
    try (Narrator.Step s =
        n.step(
            "Start Keycloak and the attestation service",
            "people log in with a real OpenID provider; decisions land in a real PostgreSQL")) {
      try {
        KeycloakDistribution dist =
            KeycloakDistribution.ensureUnpacked(repo, stack, s.waiting("Keycloak download"));
        ServiceProcess.ensureBuilt(repo, stack, s.waiting("building the service"));
        RunningKeycloak kc =
            new KeycloakLauncher(dist).realm(repo.realmJson()).start(stack, s.waiting("Keycloak"));
        s.note("Keycloak realm " + kc.realmUrl());
        RunningService service =
            serviceProcess(repo, runDir, kc, s).start(stack, s.waiting("attestation service"));
        s.ok("service at " + service.baseUrl() + " (embedded PostgreSQL in " + runDir + ")");
        serviceUrl = service.baseUrl();
        return kc;
      } catch (dev.arca.devstack.DevStackException e) {
        e.getMessage().lines().skip(1).forEach(s::note);
        s.fail(e.getMessage().lines().findFirst().orElse(e.id()));
        throw new StepFailed(e.id());
      }
    }
  }

  /** The service's process: dev format on, and the software TPM's EK root pinned when it runs. */
  private ServiceProcess serviceProcess(
      RepositoryLayout repo, Path runDir, RunningKeycloak kc, Narrator.Step s) throws IOException {
    ServiceProcess sp =
        ServiceProcess.builder(repo)
            .dataDirectory(runDir.resolve("service-data"))
            .issuer(kc.realmUrl())
            // The demo's second runtime is software-attested: a development-only format.
            .property("arca.formats.dev.enabled", "true");
    if (tpm != null) {
      // The software TPM's manufacturer CA (swtpm-localca) is the one EK root the service pins.
      Path roots = Files.createDirectories(runDir.resolve("ek-roots"));
      Files.copy(
          tpm.localCaCertificate(),
          roots.resolve("swtpm-localca.pem"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      sp.property("arca.tpm.ek-roots", roots.toString());
      s.note(
          "software TPM (swtpm) on port " + tpm.port() + "; its EK root CA pinned in the service");
    }
    return sp;
  }

  /** Step 2: the security team applies the policy, pins the boot chain, trusts the publisher. */
  private void applyPolicy(Narrator n, RunningKeycloak kc, PublisherSigningKey publisher)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Security team logs in, applies the PHI policy, pins the boot chain, trusts the publisher",
            "the service checks the policy and keeps every version; only policy-admin may")) {
      AdminClient admin = login(kc, "policy-admin", s);
      String yaml =
          options.policy() != null
              ? Files.readString(options.policy(), StandardCharsets.UTF_8)
              : new String(resource("demo-phi-policy.yaml"), StandardCharsets.UTF_8);
      JsonNode v = admin.uploadPolicy(yaml);
      v = admin.activatePolicy(v.path("name").asText(), v.path("version").asLong());
      String policyId = v.path("name").asText() + "@" + v.path("version").asText();
      admin.trustPublisherKeys(PublisherKeyRing.of(publisher.publicKey()));
      s.note("trusted publisher key " + publisher.keyId() + " for model manifests");
      if (tpm != null) {
        pinWorkstationBoot(admin, s);
      }
      outcomes.put("policy", policyId);
      s.ok(policyId + " active (sha256 " + v.path("digest").asText().substring(0, 16) + "...)");
    }
  }

  /** The name of the model's first input. */
  private static String firstInput(byte[] onnx) throws ModelLoadException {
    try (OnnxModel probe = OnnxModel.load(direct(onnx))) {
      return probe.inputs().keySet().iterator().next();
    }
  }

  /** Step 3: the publisher seals and publishes the model. */
  private void publish(
      Narrator n,
      RunningKeycloak kc,
      PublisherSigningKey publisher,
      Path runDir,
      byte[] onnx,
      Tensor request,
      String dataClass)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Publisher seals and publishes the model",
            "encrypted and signed before it leaves the publisher; the service never sees plaintext")) {
      AdminClient pub = login(kc, "model-publisher", s);
      Manifest manifest = manifest(publisher, onnx, inputName, request, dataClass, 1);
      Path sealed = sealAndPublish(pub, publisher, manifest, runDir, onnx, s);
      outcomes.put("published", MODEL_ID + "@" + manifest.version());
      s.ok(
          Files.size(sealed)
              + " bytes sealed and published as "
              + MODEL_ID
              + " v1 for "
              + manifest.dataClasses());
    }
  }

  /** Seals the model under a fresh data key and publishes it; returns the sealed package. */
  private static Path sealAndPublish(
      AdminClient pub,
      PublisherSigningKey publisher,
      Manifest manifest,
      Path runDir,
      byte[] onnx,
      Narrator.Step s)
      throws Exception {
    DataKey dataKey = DataKey.generate();
    Path sealed = runDir.resolve(MODEL_ID + "-" + manifest.version() + ".sealed");
    try (OutputStream o = Files.newOutputStream(sealed)) {
      SealedModel.seal(manifest, publisher, dataKey, new ByteArrayInputStream(onnx), o);
    }
    byte[] raw = dataKey.bytes(InsecureSecretKeyAccess.get());
    try {
      pub.publishModel(MODEL_ID, sealed, raw, (sent, total) -> s.progress(sent, total, "bytes"));
    } finally {
      Arrays.fill(raw, (byte) 0);
      dataKey.destroy();
    }
    return sealed;
  }

  /** The demo model's signed manifest: the request's input, every data class used. */
  private static Manifest manifest(
      PublisherSigningKey publisher,
      byte[] onnx,
      String inputName,
      Tensor request,
      String dataClass,
      long version)
      throws IOException {
    PlaintextDigest digest = PlaintextDigest.of(new ByteArrayInputStream(onnx));
    Set<String> classes = new LinkedHashSet<>(List.of(dataClass, "synthetic", "phi"));
    Manifest.Builder mb =
        Manifest.builder()
            .modelId(MODEL_ID)
            .version(version)
            .plaintextSha256(digest.sha256())
            .plaintextSize(digest.size())
            .input(TensorSpec.of(inputName, request.type().manifestName(), request.shape()))
            .output(TensorSpec.of("output", "float32", new long[] {-1}))
            .minRuntimeVersion("0.1.0")
            .createdAt(Instant.now())
            .publisherKeyId(publisher.keyId());
    classes.forEach(mb::dataClass);
    return mb.build();
  }

  /** Step 4: the device admin enrols the devices the runtimes will attest as. */
  private void enrolDevices(
      Narrator n, RunningKeycloak kc, DevRuntimeAttester devDevice, Path tpmState)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Device admin enrols the devices",
            "only enrolled devices are appraised; a TPM proves it holds its EK before it counts")) {
      AdminClient admin = login(kc, "device-admin", s);
      if (tpm != null) {
        enrolTpmDevice(admin, tpmState, s);
      } else {
        s.note(
            "no software TPM here ("
                + String.join(", ", Swtpm.missingTools())
                + " missing: Debian packages swtpm, swtpm-tools, tpm2-tools), so only the dev"
                + " attester runs");
      }
      ObjectNode enrolment = JSON.createObjectNode();
      enrolment.put("publicKey", Base64.getEncoder().encodeToString(devDevice.publicKey()));
      admin.enrolDevice(
          devDevice.deviceId(),
          "dev",
          enrolment,
          Map.of("site", "demo-hospital", "class", "workstation"));
      s.note(
          "dev: "
              + abbreviate(devDevice.deviceId())
              + " enrolled. The dev attester is a software key in the runtime's state folder: it"
              + " proves possession of a key, not hardware, so the policy refuses it any"
              + " sensitive data class.");
      s.ok(
          (tpm != null ? "a TPM workstation and " : "") + "a dev-attested device at demo-hospital");
    }
  }

  /** Both steps of the TPM workstation's enrolment: EK chain, then credential activation. */
  private void enrolTpmDevice(AdminClient admin, Path tpmState, Narrator.Step s) throws Exception {
    DeviceKeys keys = DeviceKeys.open(tpm.tools(), tpmState);
    TpmEnroller enroller = new TpmEnroller(keys, tpm.ekIntermediates());
    JsonNode answer =
        admin.enrolDevice(
            TPM_DEVICE,
            "tpm2",
            JSON.valueToTree(enroller.request().toJson()),
            Map.of("site", "demo-hospital", "class", "workstation"));
    JsonNode credential = answer.path("activation").path("credential");
    byte[] secret =
        enroller.activate(
            Base64.getDecoder().decode(credential.path("idObject").asText()),
            Base64.getDecoder().decode(credential.path("encryptedSecret").asText()));
    JsonNode active;
    try {
      active = admin.activateDevice(TPM_DEVICE, secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    s.note(
        "tpm2: "
            + TPM_DEVICE
            + " enrolled with its EK certificate chain; the TPM opened the service's"
            + " credential (TPM2_ActivateCredential), so the AK is bound to that EK: "
            + active.path("status").asText());
  }

  /** Step 5: the runtimes boot, attest, receive their grants and unseal the model in memory. */
  private Runtimes startRuntimes(
      Narrator n,
      ProcessSupervisor stack,
      Path ring,
      Path tpmState,
      Path devState,
      String dataClass)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Runtime boots, attests, receives its grant and unseals the model in memory",
            "the data key is released only to the runtime's fresh key, after policy said yes")) {
      Set<String> wanted = new LinkedHashSet<>(List.of(dataClass, "synthetic", "phi"));
      URI tpmRuntime = null;
      if (tpm != null) {
        List<String> attester =
            List.of(
                "--attester",
                "tpm2",
                "--tpm",
                "swtpm:127.0.0.1:" + tpm.port(),
                "--device-id",
                TPM_DEVICE);
        tpmRuntime = startRuntime(stack, s, "runtime-tpm", ring, tpmState, wanted, attester);
      }
      URI devRuntime =
          startRuntime(
              stack, s, "runtime-dev", ring, devState, wanted, List.of("--attester", "dev"));
      outcomes.put("grant", true);
      s.ok(
          (tpmRuntime != null ? "TPM runtime at " + tpmRuntime + ", " : "")
              + "dev runtime at "
              + devRuntime);
      return new Runtimes(tpmRuntime, devRuntime);
    }
  }

  /** Step 6: the application's encrypted request, answered by the attested runtime. */
  private void inferEncrypted(
      Narrator n, URI target, String inputName, Tensor request, Tensor expected, String dataClass)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Application sends an encrypted " + dataClass + " request",
            "the app checks the runtime's EAR token, then only app and runtime can read the data")) {
      RuntimeClient app = RuntimeClient.connect(target, serviceUrl);
      s.note(
          "EAR token of "
              + abbreviate(app.attestation().deviceId())
              + " verified against the service's JWKS: "
              + app.attestation().statuses()
              + " by "
              + String.join(", ", app.attestation().policies().values())
              + "; its cnf key is the runtime's OHTTP key");
      InferenceMessages.Response r;
      try {
        r =
            app.infer(
                MODEL_ID, dataClass, "treatment", Map.of(inputName, request.named(inputName)));
      } catch (EarException | InferenceRefusedException refused) {
        s.fail("refused: " + refused.getMessage());
        throw new StepFailed("inference refused");
      }
      Tensor y = r.outputs().values().iterator().next();
      if (options.output() != null) {
        Files.write(options.output(), TensorProtoCodec.encode(y));
        s.note("output tensor written to " + options.output());
      }
      outcomes.put("inferenceDataClass", dataClass);
      outcomes.put("inferenceShape", Arrays.toString(y.shape()));
      checkOutput(s, y, expected, dataClass);
    }
  }

  /** Compares the answer with the expected output when there is one (the bundled model). */
  private void checkOutput(Narrator.Step s, Tensor y, Tensor expected, String dataClass)
      throws StepFailed {
    if (expected == null) {
      s.ok(dataClass + " answered: output " + y.name() + " " + Arrays.toString(y.shape()));
      return;
    }
    double worst = maxError(y, expected);
    outcomes.put("maxError", worst);
    if (worst > 1e-5) {
      s.fail("the output differs from the expected output by " + worst);
      throw new StepFailed("wrong output");
    }
    s.ok(
        dataClass
            + " answered: output "
            + Arrays.toString(y.shape())
            + " matches the expected output (max error "
            + String.format(java.util.Locale.ROOT, "%.1e", worst)
            + ")");
  }

  /**
   * Step 7: version 2 is published while the application sends a request every 50 ms to the
   * runtime: the runtime hears of it by its event long poll, loads v2 beside v1, switches and
   * drains v1; not one request fails.
   */
  private void updateUnderLoad(
      Narrator n,
      RunningKeycloak kc,
      PublisherSigningKey publisher,
      Path runDir,
      byte[] onnx,
      Tensor request,
      String dataClass)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Publisher releases version 2 while the application keeps sending requests",
            "the runtime hears of it within seconds, loads v2 beside v1 and switches: none fails")) {
      AdminClient pub = login(kc, "model-publisher", s);
      RuntimeClient app = RuntimeClient.connect(runtimes.target(), serviceUrl);
      Manifest v2 = manifest(publisher, onnx, inputName, request, dataClass, 2);
      try (SteadyLoad load = steadyLoad(app, dataClass, "treatment", request)) {
        awaitOrFail(s, () -> load.answered(1) > 0 || !load.failures().isEmpty(), "v1 answering");
        long published = System.nanoTime();
        sealAndPublish(pub, publisher, v2, runDir, onnx, s);
        awaitOrFail(s, () -> load.answered(2) > 0, "version 2 answering");
        double seconds = (System.nanoTime() - published) / 1e9;
        List<Exception> failed = load.failures();
        outcomes.put("updateRequests", load.answered());
        outcomes.put("updateFailedRequests", failed.size());
        if (!failed.isEmpty()) {
          s.fail(failed.size() + " requests failed during the update: " + failed.get(0));
          throw new StepFailed("requests failed during the update");
        }
        s.ok(
            load.answered()
                + " requests during the update, none failed; v2 answered "
                + String.format(java.util.Locale.ROOT, "%.1f", seconds)
                + " s after publication");
      }
    }
  }

  /**
   * Step 9: the device admin revokes the dev workstation while an application sends it synthetic
   * requests: the runtime hears of it by its event long poll, is refused at its re-attestation and
   * serves nothing from then on.
   */
  private void revokeDeviceUnderLoad(
      Narrator n, RunningKeycloak kc, DevRuntimeAttester devDevice, Tensor request)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "Device admin revokes the dev workstation while it serves",
            "the revocation reaches the runtime within seconds; from then on it refuses all")) {
      AdminClient admin = login(kc, "device-admin", s);
      RuntimeClient app = RuntimeClient.connect(runtimes.dev(), serviceUrl);
      try (SteadyLoad load = steadyLoad(app, "synthetic", "research", request)) {
        awaitOrFail(s, () -> load.answered() > 0, "the dev runtime answering");
        long revoked = System.nanoTime();
        admin.revokeDevice(devDevice.deviceId());
        awaitOrFail(s, () -> !load.failures().isEmpty(), "the dev runtime refusing");
        double seconds = (System.nanoTime() - revoked) / 1e9;
        Exception first = load.failures().get(0);
        String id =
            first instanceof InferenceRefusedException r ? r.id() : first.getClass().getName();
        outcomes.put("revocationRefusal", id);
        s.ok(
            "refusals began "
                + String.format(java.util.Locale.ROOT, "%.1f", seconds)
                + " s after the revocation ("
                + id
                + ")");
      }
    }
  }

  /** The application sending {@code request} to the demo model every 50 ms. */
  private SteadyLoad steadyLoad(
      RuntimeClient app, String dataClass, String purpose, Tensor request) {
    return SteadyLoad.start(
        () ->
            app.infer(MODEL_ID, dataClass, purpose, Map.of(inputName, request.named(inputName)))
                .version(),
        Duration.ofMillis(50));
  }

  /** Waits up to a minute for {@code done}; fails the step naming {@code what} otherwise. */
  private static void awaitOrFail(
      Narrator.Step s, java.util.function.BooleanSupplier done, String what)
      throws StepFailed, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        s.fail("gave up waiting for " + what + " after a minute");
        throw new StepFailed("no " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Step 8: PHI to the dev-attested runtime is refused, with the policy's reason. */
  private void refusePhiToDevRuntime(
      Narrator n,
      RunningKeycloak kc,
      URI devRuntime,
      DevRuntimeAttester devDevice,
      String inputName,
      Tensor request)
      throws Exception {
    try (Narrator.Step s =
        n.step(
            "A PHI request to the dev-attested runtime is refused",
            "policy denied the grant; the runtime's token says so, and the app sends nothing")) {
      RuntimeClient app = RuntimeClient.connect(devRuntime, serviceUrl);
      try {
        app.infer(MODEL_ID, "phi", "treatment", Map.of(inputName, request.named(inputName)));
        s.fail("the dev-attested runtime was sent PHI: the policy is too weak");
        throw new StepFailed("PHI was not refused");
      } catch (EarException refused) {
        if (!refused.id().equals(EarException.NOT_GRANTED)) {
          throw refused;
        }
        s.note("application SDK: " + refused.getMessage());
      }
      AdminClient auditor = login(kc, "auditor", null);
      String reason = policyReason(auditor, devDevice.deviceId());
      outcomes.put("phiRefused", EarException.NOT_GRANTED);
      outcomes.put("phiPolicyReason", reason);
      s.ok("policy " + reason);
    }
  }

  /** Step 10: the auditor's {@code arca audit verify} re-verifies the whole log. */
  private void auditorVerifies(Narrator n, RunningKeycloak kc, Path runDir) throws Exception {
    try (Narrator.Step s =
        n.step(
            "Auditor verifies the log",
            "every decision above is in a tamper-evident log anyone can check on their own")) {
      // The auditor's token is cached as a login profile in the run directory, as `arca login`
      // would cache it; the command line never carries it.
      Path config = runDir.resolve("config");
      cacheLogin(kc, config, "auditor");
      StringWriter auditOut = new StringWriter();
      var cli = Arca.commandLine();
      cli.setOut(new PrintWriter(auditOut, true));
      cli.setErr(new PrintWriter(auditOut, true));
      s.note(
          "$ ARCA_CONFIG_DIR="
              + config
              + " arca audit verify --service "
              + serviceUrl
              + " --as auditor");
      String previous = System.setProperty("arca.config.dir", config.toString());
      int code;
      try {
        code =
            cli.execute("audit", "verify", "--service", serviceUrl.toString(), "--as", "auditor");
      } finally {
        if (previous == null) {
          System.clearProperty("arca.config.dir");
        } else {
          System.setProperty("arca.config.dir", previous);
        }
      }
      auditOut.toString().lines().forEach(l -> s.note("  " + l));
      AdminClient auditor = login(kc, "auditor", null);
      Map<String, Integer> kinds = new LinkedHashMap<>();
      for (JsonNode h : auditor.auditSearch(AdminClient.filters("limit", "100000"))) {
        kinds.merge(h.path("entry").path("type").asText(), 1, Integer::sum);
      }
      s.note("entries: " + kinds);
      usageReported(auditor, s);
      outcomes.put("logVerified", code == ExitCode.OK);
      outcomes.put("logEntries", kinds);
      if (code != ExitCode.OK) {
        s.fail("the log did not verify");
        throw new StepFailed("audit verify failed");
      }
      s.ok(kinds.values().stream().mapToInt(Integer::intValue).sum() + " entries verified");
    }
  }

  /**
   * What the runtimes reported they served, as {@code arca audit search --kind usage} finds it:
   * each report signed by its runtime's attested usage key, uploaded after an attestation.
   */
  private void usageReported(AdminClient auditor, Narrator.Step s) throws Exception {
    int reports = 0;
    long served = 0;
    long refused = 0;
    for (JsonNode h :
        auditor.auditSearch(AdminClient.filters("kind", "usage", "limit", "100000"))) {
      JsonNode detail = h.path("entry").path("facts").path("detail");
      reports++;
      served += detail.path("served").asLong();
      refused += detail.path("refused").asLong();
    }
    s.note(
        "usage reported by the runtimes (arca audit search --kind usage): "
            + reports
            + " signed report(s), "
            + served
            + " requests served, "
            + refused
            + " refused");
    outcomes.put("usageReports", reports);
    outcomes.put("usageServed", served);
  }

  /** Starts one runtime process and waits until it serves; narrates its boot lines. */
  private URI startRuntime(
      ProcessSupervisor stack,
      Narrator.Step s,
      String name,
      Path ring,
      Path state,
      Set<String> dataClasses,
      List<String> attester)
      throws Exception {
    int port = ProcessSupervisor.freeLoopbackPort();
    URI url = URI.create("http://127.0.0.1:" + port);
    List<String> args =
        new ArrayList<>(
            List.of(
                "runtime",
                "--service",
                serviceUrl.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--state",
                state.toString(),
                "--publishers",
                ring.toString()));
    args.addAll(attester);
    for (String c : dataClasses) {
      args.addAll(List.of("--model", MODEL_ID + ":" + c));
    }
    ProcessBuilder pb =
        JavaLauncher.main(
            Arca.class.getName(),
            JavaLauncher.currentClasspath(),
            List.of("-Xmx384m", "-XX:+DisableAttachMechanism"),
            Map.of(),
            args);
    ManagedProcess runtime = stack.start(name, pb);
    try {
      runtime.awaitHttp(url.resolve("/readyz"), Duration.ofMinutes(3), s.waiting(name));
    } catch (dev.arca.devstack.DevStackException e) {
      List<String> tail = runtime.lastLogLines(6);
      tail.forEach(l -> s.note(name + ": " + l));
      s.fail(
          name
              + " did not become ready ["
              + e.id()
              + "]: "
              + (tail.isEmpty() ? "no output" : tail.get(tail.size() - 1))
              + "; log "
              + runtime.logFile());
      throw new StepFailed(name + " did not become ready");
    }
    for (String line : runtime.lastLogLines(40)) {
      if (line.contains(" attest: ") || line.contains(" unseal: ") || line.contains("harden:")) {
        s.note(name + ": " + line.substring(line.indexOf(' ') + 1));
      }
    }
    return url;
  }

  /**
   * Pins the workstations' boot chain (PCRs 0-7 of the SHA-256 bank, read from the demo's software
   * TPM as a golden image would give them): a TPM device is appraised only against such a set.
   */
  private void pinWorkstationBoot(AdminClient admin, Narrator.Step s) throws Exception {
    Map<String, List<String>> boot = new LinkedHashMap<>();
    tpm.tools()
        .pcrRead("sha256", List.of(0, 1, 2, 3, 4, 5, 6, 7))
        .forEach((pcr, v) -> boot.put("pcr.sha256." + pcr, List.of(HexFormat.of().formatHex(v))));
    JsonNode set = admin.putReferenceValues("workstation-boot", "tpm2", "class:workstation", boot);
    s.note(
        "pinned the boot chain of class workstation (PCRs 0-7) as reference set "
            + set.path("name").asText()
            + "@"
            + set.path("version").asText());
  }

  /** The rules that denied PHI to this device, from the auditor's view of the log. */
  private static String policyReason(AdminClient auditor, String deviceId) throws Exception {
    List<JsonNode> hits =
        auditor.auditSearch(AdminClient.filters("device", deviceId, "verdict", "permit"));
    for (int i = hits.size() - 1; i >= 0; i--) {
      JsonNode detail = hits.get(i).path("entry").path("facts").path("detail");
      for (JsonNode d : detail.path("denials")) {
        List<String> rules = new ArrayList<>();
        d.path("rules").forEach(r -> rules.add(r.asText()));
        return detail.path("policy").asText()
            + " denied phi: "
            + (rules.isEmpty() ? d.path("reason").asText() : String.join(", ", rules))
            + " (audit entry "
            + hits.get(i).path("index").asLong()
            + ")";
      }
    }
    return "denied phi (no denial recorded for this device)";
  }

  /**
   * Logs {@code user} in and caches the token as the profile {@code user} in {@code config}, as
   * {@code arca login --as <user>} would; returns when it expires.
   */
  private static Instant cacheLogin(RunningKeycloak kc, Path config, String user) throws Exception {
    AccessToken token = kc.passwordToken(AUTOMATION_CLIENT, AUTOMATION_SECRET, user, user + "-pw");
    Instant expires = Instant.now().plus(token.expiresIn());
    new TokenStore(config)
        .save(
            user,
            new StoredToken(
                kc.realmUrl(), token.bearer(), expires, token.username(), token.realmRoles()));
    return expires;
  }

  private AdminClient login(RunningKeycloak kc, String user, Narrator.Step s) throws Exception {
    AccessToken t = kc.passwordToken(AUTOMATION_CLIENT, AUTOMATION_SECRET, user, user + "-pw");
    if (s != null) {
      List<String> roles =
          t.realmRoles().stream()
              .filter(
                  r ->
                      !r.startsWith("default-roles")
                          && !r.equals("offline_access")
                          && !r.equals("uma_authorization"))
              .toList();
      s.note("logged in to Keycloak as " + t.username() + " " + roles);
    }
    return new AdminClient(serviceUrl, t.bearer());
  }

  private static double maxError(Tensor got, Tensor want) {
    float[] g = got.floats();
    float[] w = want.floats();
    if (g.length != w.length) {
      return Double.POSITIVE_INFINITY;
    }
    double worst = 0;
    for (int i = 0; i < w.length; i++) {
      worst = Math.max(worst, Math.abs(g[i] - w[i]));
    }
    return worst;
  }

  private static String abbreviate(String s) {
    return s.length() > 24 ? s.substring(0, 24) + "..." : s;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = DemoRun.class.getResourceAsStream("/dev/arca/cli/demo/" + name)) {
      if (in == null) {
        throw new IOException("the demo resource " + name + " is missing from this build");
      }
      return in.readAllBytes();
    }
  }

  private static ByteBuffer direct(byte[] b) {
    ByteBuffer d = ByteBuffer.allocateDirect(b.length);
    d.put(b).flip();
    return d;
  }
}
