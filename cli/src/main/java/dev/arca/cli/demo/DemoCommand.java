package dev.arca.cli.demo;

import dev.arca.cli.Arca;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.OpenedModel;
import dev.arca.crypto.seal.PlaintextCheck;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.SealedModelReader;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.devstack.Narrator;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.policy.Decision;
import dev.arca.policy.DecisionInput;
import dev.arca.policy.DeviceFacts;
import dev.arca.policy.EarStatus;
import dev.arca.policy.EvidenceFacts;
import dev.arca.policy.ModelFacts;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.TcbStatus;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.infer.InferenceHandler;
import dev.arca.runtime.infer.RuntimeHttpServer;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.model.LoadedModel;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.InMemoryLog;
import dev.arca.transparency.note.Ed25519NoteSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca demo}: the whole chain on real components in one process — seal, attest, decide,
 * release, unseal in memory, encrypted inference, verified audit log. This first version runs the
 * attestation service's steps in-process with the same libraries the service uses; the
 * multi-process version (PostgreSQL, Keycloak, the Quarkus service, a separate runtime) follows
 * once the service lands. It says so when it runs.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole chain: seal a model, attest a runtime, decide with policy, release the key,",
      "unseal in memory, infer end to end encrypted, and verify the audit log."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Option(names = "--model", description = "Your ONNX model (default: the bundled Conv2d sample).")
  Path model;

  @Option(names = "--input", description = "Input tensor (ONNX TensorProto .pb) for --model.")
  Path input;

  @Option(names = "--output", description = "Write the output tensor (TensorProto .pb) here.")
  Path output;

  @Option(
      names = "--data-class",
      defaultValue = "synthetic",
      description = "Data class of your request (default ${DEFAULT-VALUE}).")
  String dataClass;

  @Option(
      names = "--policy",
      description = "Policy (default: policy/samples/research-synthetic.yaml of this checkout).")
  Path policyFile;

  @Override
  public Integer call() throws Exception {
    if ((model == null) != (input == null)) {
      spec.commandLine().getErr().println("arca: --model and --input go together");
      return Arca.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    Narrator n = new Narrator(out, System.console() != null, System::nanoTime, 7);
    n.title("Arca demo: a sealed model, an attested runtime, encrypted inference, a verified log");
    n.note(
        "This version runs the service's steps in this process with the service's own libraries;"
            + " the runtime is the real runtime on a loopback port.");
    Path home = Path.of(System.getProperty("arca.home", "."));
    Path policyPath =
        policyFile != null ? policyFile : home.resolve("policy/samples/research-synthetic.yaml");
    byte[] onnx = model != null ? Files.readAllBytes(model) : resource("conv2d.onnx");
    Tensor request =
        TensorProtoCodec.decode(
            input != null ? Files.readAllBytes(input) : resource("conv2d-input.pb"), "input");
    Tensor expected =
        model == null ? TensorProtoCodec.decode(resource("conv2d-output.pb"), "output") : null;

    InMemoryLog log = new InMemoryLog();
    Ed25519NoteSigner logKey = Ed25519NoteSigner.generate("arca.demo/log", RANDOM);
    CheckpointSigner checkpoints = new CheckpointSigner("arca.demo/log", logKey);
    Instant now = Instant.now();
    Map<String, Object> results = new LinkedHashMap<>();

    // 1. Security team: the policy.
    Policy policy;
    try (Narrator.Step s =
        n.step("Security team loads a policy", "rules type-check before any decision is made")) {
      policy = PolicyLoader.load(policyPath);
      audit(
          log,
          "policy.activated",
          now,
          "security-team",
          Map.of("policy", policy.name(), "version", policy.version(), "sha256", policy.sha256()));
      s.ok(policy.name() + " v" + policy.version() + ", " + policy.rules().size() + " rules");
    }

    // 2. Publisher: seal.
    PublisherSigningKey publisher =
        PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "demo-publisher");
    DataKey dataKey = DataKey.generate(RANDOM);
    byte[] sealed;
    Manifest manifest;
    String inputName;
    try (Narrator.Step s =
        n.step("Publisher seals the model", "encrypted and signed; plaintext never stored")) {
      try (OnnxModel probe = OnnxModel.load(direct(onnx))) {
        inputName = probe.inputs().keySet().iterator().next();
      }
      PlaintextDigest digest = PlaintextDigest.of(new ByteArrayInputStream(onnx));
      manifest =
          Manifest.builder()
              .modelId("demo-model")
              .version(1)
              .plaintextSha256(digest.sha256())
              .plaintextSize(digest.size())
              .input(TensorSpec.of(inputName, request.type().manifestName(), request.shape()))
              .output(TensorSpec.of("output", "float32", new long[] {-1}))
              .dataClass("synthetic")
              .dataClass("phi")
              .minRuntimeVersion("0.1.0")
              .createdAt(now)
              .publisherKeyId(publisher.keyId())
              .build();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      SealedModel.seal(manifest, publisher, dataKey, new ByteArrayInputStream(onnx), buf);
      sealed = buf.toByteArray();
      java.util.Arrays.fill(onnx, (byte) 0);
      audit(
          log,
          "model.published",
          now,
          publisher.keyId(),
          Map.of(
              "model",
              "demo-model",
              "version",
              1,
              "manifestDigest",
              HexFormat.of().formatHex(manifest.digest())));
      s.ok(sealed.length + " bytes sealed, manifest " + hex8(manifest.digest()));
    }

    // 3. Device: attest.
    DevAttester device = DevAttester.generate();
    HpkePrivateKey runtimeKey = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, RANDOM);
    Claims claims;
    try (Narrator.Step s =
        n.step("Runtime attests", "evidence bound to a fresh nonce and the runtime's own key")) {
      byte[] nonce = new byte[32];
      RANDOM.nextBytes(nonce);
      byte[] measurementLog = "runtime demo\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] reportData =
          RuntimeAgent.reportData(nonce, runtimeKey.publicKey().bytes(), measurementLog);
      byte[] evidence = device.attest(reportData, Map.of(), now);
      claims =
          BuiltinFormats.registry()
              .require("dev")
              .verify(
                  evidence,
                  VerificationContext.at(now)
                      .expectedReportData(reportData)
                      .trustedKey(DevVerifier.publicKey(device.publicKey()))
                      .build());
      s.note("the dev attester proves possession of a key, not hardware (hardwareRooted=false)");
      s.ok("verified " + claims.deviceIdentity().substring(0, 20) + "...");
    }

    // 4. Policy decides per data class.
    Decision phi = decide(policy, claims, "phi", now);
    Decision mine = decide(policy, claims, dataClass, now);
    try (Narrator.Step s =
        n.step("Policy decides", "deny by default; every decision names its rules")) {
      audit(log, "appraisal", now, claims.deviceIdentity(), decisionFacts(phi, "phi"));
      audit(log, "appraisal", now, claims.deviceIdentity(), decisionFacts(mine, dataClass));
      s.note("phi: " + phi.verdict() + " by " + ruleNames(phi));
      s.note(dataClass + ": " + mine.verdict() + " by " + ruleNames(mine));
      if (phi.permitted()) {
        s.fail("the dev attester was permitted PHI: the policy is too weak");
      } else {
        s.ok("PHI refused for the software attester, " + dataClass + " " + mine.verdict());
      }
      results.put("phi", phi.verdict());
      results.put(dataClass, mine.verdict());
    }
    if (!mine.permitted()) {
      n.note("nothing was granted for " + dataClass + "; the demo stops here");
      n.summary();
      return Arca.FAILED;
    }

    // 5. Key release and unseal.
    ModelHost host = new ModelHost();
    try (Narrator.Step s =
        n.step("Key release and unseal", "the data key reaches only this runtime's key")) {
      String grantId = java.util.UUID.randomUUID().toString();
      KeyReleaseInfo info = KeyReleaseInfo.of(grantId, "demo-model", 1, manifest.digest());
      WrappedKey wrapped = KeyRelease.wrap(dataKey, runtimeKey.publicKey(), info, RANDOM);
      audit(
          log,
          "key.released",
          now,
          claims.deviceIdentity(),
          Map.of(
              "grant",
              grantId,
              "model",
              "demo-model",
              "version",
              1,
              "dataClasses",
              List.of(dataClass)));
      DataKey unwrapped = KeyRelease.unwrap(wrapped, runtimeKey, info);
      SealedModelReader reader =
          SealedModel.read(
              Channels.newChannel(new ByteArrayInputStream(sealed)),
              PublisherKeyRing.of(publisher.publicKey()));
      OnnxModel loaded;
      try (OpenedModel opened = reader.decrypt(unwrapped, null, PlaintextCheck.SHA256)) {
        loaded = OnnxModel.load(opened.plaintext());
      } finally {
        unwrapped.destroy();
        dataKey.destroy();
      }
      Duration lease = mine.obligations().leaseLength().orElse(Duration.ofHours(1));
      host.install(
          new LoadedModel(
              reader.manifest(),
              loaded,
              new Lease("demo-model", 1, Set.of(dataClass), now.plus(lease), now.plus(lease))));
      s.ok("decrypted into off-heap memory, buffer wiped, lease " + lease);
    }

    // 6. Application: encrypted inference.
    try (host;
        Narrator.Step s =
            n.step(
                "Application infers, end to end encrypted",
                "OHTTP: only app and runtime read it")) {
      KeyConfig config =
          KeyConfig.of(
              1,
              runtimeKey.publicKey(),
              List.of(KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM)));
      try (RuntimeHttpServer server =
          new RuntimeHttpServer(
              new InetSocketAddress("127.0.0.1", 0),
              OhttpGateway.of(config, runtimeKey),
              new InferenceHandler(host, Clock.systemUTC(), () -> true),
              () -> "demo",
              host::served)) {
        URI base = URI.create("http://127.0.0.1:" + server.port());
        Object answer = infer(base, config, dataClass, request.named(inputName));
        Object refusal = infer(base, config, "phi", request.named(inputName));
        if (!(answer instanceof InferenceMessages.Response r)) {
          s.fail("the runtime refused: " + answer);
        } else {
          Tensor y = r.outputs().values().iterator().next();
          if (output != null) {
            Files.write(output, TensorProtoCodec.encode(y));
          }
          String check = expected == null ? "" : ", " + compare(y, expected);
          s.note("phi request: " + refusal);
          s.ok("output " + java.util.Arrays.toString(y.shape()) + check);
          results.put("inference", check.contains("matches") || expected == null ? "ok" : check);
        }
      }
    }

    // 7. Auditor verifies the log.
    try (Narrator.Step s =
        n.step("Auditor verifies the log", "signed checkpoint and an inclusion proof per entry")) {
      var note = log.checkpoint(checkpoints);
      CheckpointVerifier verifier =
          new CheckpointVerifier("arca.demo/log", List.of(logKey.verifier()));
      long size = log.size();
      for (long i = 0; i < size; i++) {
        log.receipt(i, note).verify(log.entries(i, i + 1).get(0), verifier);
      }
      s.ok(size + " entries, each proven included in checkpoint " + hex8(log.rootHash(size)));
    }
    return n.summary() == 0 ? Arca.OK : Arca.FAILED;
  }

  private static Decision decide(Policy policy, Claims claims, String dataClass, Instant now) {
    return policy.decide(
        DecisionInput.builder()
            .device(
                DeviceFacts.builder()
                    .id(claims.deviceIdentity())
                    .site("demo")
                    .enrolmentMethod("dev-key")
                    .enrolledAt(now)
                    .revoked(false)
                    .build())
            .evidence(
                EvidenceFacts.builder()
                    .format(claims.format())
                    .hardwareRooted(claims.hardwareRooted())
                    .debug(claims.debug())
                    .tcbStatus(TcbStatus.UNKNOWN)
                    .earStatus(EarStatus.NONE)
                    .build())
            .model(
                ModelFacts.builder()
                    .id("demo-model")
                    .version(1)
                    .dataClasses(List.of("synthetic", "phi"))
                    .build())
            .dataClass(dataClass)
            .purpose("research")
            .time(now)
            .build());
  }

  private static Map<String, Object> decisionFacts(Decision d, String dataClass) {
    return Map.of(
        "dataClass", dataClass,
        "verdict", d.verdict().toString(),
        "policy", d.policyName(),
        "policyVersion", d.policyVersion(),
        "rules", d.matchedRules());
  }

  private static String ruleNames(Decision d) {
    List<String> rules = d.decidedBy().stream().map(r -> r.rule()).toList();
    return rules.isEmpty() ? "deny by default" : String.join(", ", rules);
  }

  private static void audit(
      InMemoryLog log, String type, Instant time, String actor, Map<String, ?> facts) {
    try {
      log.append(AuditEntry.of(type, time, actor, facts));
    } catch (Exception e) {
      throw new IllegalStateException("cannot record " + type + " in the audit log", e);
    }
  }

  private static Object infer(URI base, KeyConfig config, String dataClass, Tensor tensor)
      throws Exception {
    byte[] plaintext =
        InferenceMessages.encode(
            new InferenceMessages.Request(
                "demo-model", dataClass, "research", Map.of(tensor.name(), tensor)));
    OhttpClient.Request req = OhttpClient.encapsulateRequest(config, plaintext, RANDOM);
    HttpResponse<byte[]> res =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/v1/infer"))
                    .header("Content-Type", MediaTypes.REQUEST)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(req.encapsulated()))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    return InferenceMessages.decodeResponse(
        req.decapsulateResponse(res.headers().firstValue("Content-Type").orElse(""), res.body()));
  }

  private static String compare(Tensor got, Tensor want) {
    float[] g = got.floats();
    float[] w = want.floats();
    if (g.length != w.length) {
      return "differs in size from the expected output";
    }
    double worst = 0;
    for (int i = 0; i < w.length; i++) {
      worst = Math.max(worst, Math.abs(g[i] - w[i]));
    }
    return worst <= 1e-5
        ? "matches the expected output (max error " + String.format("%.1e", worst) + ")"
        : "DIFFERS from the expected output by " + worst;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/arca/cli/demo/" + name)) {
      if (in == null) {
        throw new IOException("the demo resource " + name + " is missing from this build");
      }
      return in.readAllBytes();
    }
  }

  private static java.nio.ByteBuffer direct(byte[] b) {
    java.nio.ByteBuffer d = java.nio.ByteBuffer.allocateDirect(b.length);
    d.put(b).flip();
    return d;
  }

  private static String hex8(byte[] b) {
    return HexFormat.of().formatHex(b, 0, 4);
  }
}
