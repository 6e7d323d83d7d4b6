// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.LogScan;
import dev.arca.attestation.testing.MarkdownJava;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.client.RuntimeClient;
import dev.arca.client.ear.EarException;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.load.SteadyLoad;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.seal.SealException;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.service.ServiceClient.ModelRequest;
import dev.arca.runtime.update.RollbackException;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device runtime ({@link RuntimeAgent} with the real {@code dev} attester) against this real
 * service, embedded PostgreSQL and Keycloak: the ONNX test model {@code test_Conv2d} is sealed,
 * published, granted, unwrapped with the runtime's in-memory key, unsealed into memory and served
 * through Oblivious HTTP to an application using the client SDK, which verifies the EAR against the
 * service's JWKS first.
 *
 * <p>The agent hardens the test JVM itself (surefire runs it with attach disabled); a runtime
 * started insecure is refused by the service ({@code InsecureRuntimeTest}).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RuntimeAgainstServiceTest {
  static final String MODEL = "conv2d";

  /** The ONNX graph's input name in test_Conv2d (a PyTorch export). */
  static final String INPUT = "0";

  @ConfigProperty(name = "arca.resolved-data-dir")
  String dataDir;

  /** The service's clock: device and app share it. */
  @Inject TestClock clock;

  @ConfigProperty(name = "quarkus.log.file.path")
  String serviceLog;

  static byte[] resource(String path) throws Exception {
    try (InputStream in =
        RuntimeAgainstServiceTest.class.getResourceAsStream("/vectors/onnx/test_Conv2d/" + path)) {
      return in.readAllBytes();
    }
  }

  static URI service() {
    return URI.create("http://localhost:" + RestAssured.port);
  }

  /** Publishes the Conv2d model as {@code model@version} for synthetic and PHI data. */
  static Tensor[] publishConv2d(String model, long version) throws Exception {
    return publishConv2d(model, version, new TestModels.Sealed[1]);
  }

  /** As above, handing the sealed package (and its data key) back in {@code sealed[0]}. */
  static Tensor[] publishConv2d(String model, long version, TestModels.Sealed[] sealed)
      throws Exception {
    Tensor input = TensorProtoCodec.decode(resource("test_data_set_0/input_0.pb"), INPUT);
    Tensor expected = TensorProtoCodec.decode(resource("test_data_set_0/output_0.pb"), "y");
    sealed[0] =
        TestModels.seal(
            model,
            version,
            List.of("synthetic", "phi"),
            resource("model.onnx"),
            TensorSpec.of(INPUT, "float32", input.shape()),
            TensorSpec.of("y", "float32", expected.shape()));
    TestModels.publish(sealed[0]).then().statusCode(201);
    return new Tensor[] {input, expected};
  }

  DevRuntimeAttester enrolledDevice(Path state) throws Exception {
    DevRuntimeAttester attester = DevRuntimeAttester.open(state, clock);
    Api.as("device-admin")
        .contentType("application/json")
        .body(
            Map.of(
                "id",
                attester.deviceId(),
                "format",
                "dev",
                "enrolment",
                Map.of("publicKey", Base64.getEncoder().encodeToString(attester.publicKey()))))
        .post("/v1/devices")
        .then()
        .statusCode(201);
    return attester;
  }

  RuntimeAgent runtime(Path state, DevRuntimeAttester attester, String model, List<String> log) {
    return new RuntimeAgent(
        new RuntimeAgent.Config(
            service(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            state,
            List.of(new ModelRequest(model, "synthetic"), new ModelRequest(model, "phi")),
            publishers(),
            false),
        attester,
        clock,
        log::add);
  }

  static PublisherKeyRing publishers() {
    try {
      return PublisherKeyRing.of(TestModels.signer().publicKey());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aGrantedModelIsServedEncryptedAndOnlyForThePermittedDataClass(@TempDir Path state)
      throws Exception {
    TestPolicy.activate();
    Tensor[] io = publishConv2d(MODEL, 1);
    DevRuntimeAttester attester = enrolledDevice(state);
    List<String> log = new CopyOnWriteArrayList<>();
    try (RuntimeAgent agent = runtime(state, attester, MODEL, log)) {
      agent.boot();
      assertThat(agent.served()).containsEntry(MODEL, 1L);

      URI runtime = URI.create("http://127.0.0.1:" + agent.port());
      RuntimeClient app =
          RuntimeClient.connect(
              runtime, service(), RuntimeClient.ISSUER, RuntimeClient.AUDIENCE, clock);
      assertThat(app.attestation().deviceId()).isEqualTo(attester.deviceId());
      // The dev attester gets no sensitive data class under the service's policy.
      assertThat(app.attestation().requireGrant(MODEL, "synthetic").dataClasses())
          .containsExactly("synthetic");

      InferenceMessages.Response r = app.infer(MODEL, "synthetic", "test", Map.of(INPUT, io[0]));
      float[] got = r.outputs().values().iterator().next().floats();
      float[] want = io[1].floats();
      assertThat(got).hasSameSizeAs(want);
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
      }

      // The SDK sends no PHI to a runtime whose attestation does not grant it.
      assertThatThrownBy(() -> app.infer(MODEL, "phi", "test", Map.of(INPUT, io[0])))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.NOT_GRANTED));
    }
    // The log names each step and never a key.
    assertThat(String.join("\n", log))
        .contains("attest: dev evidence accepted")
        .contains("unseal: conv2d v1 decrypted in memory for [synthetic]");
    assertThat(AuditLines.kinds(AuditLines.about("device:" + attester.deviceId())))
        .contains("attestation.appraised");
  }

  @Test
  void theClientReadmeExampleRunsAgainstARealRuntime(@TempDir Path state, @TempDir Path work)
      throws Exception {
    TestPolicy.activate();
    publishConv2d("conv2d-readme", 1);
    DevRuntimeAttester attester = enrolledDevice(state);
    Path input = work.resolve("input_0.pb");
    Files.write(input, resource("test_data_set_0/input_0.pb"));
    try (RuntimeAgent agent = runtime(state, attester, "conv2d-readme", new ArrayList<>())) {
      agent.boot();
      String printed =
          MarkdownJava.run(
              Path.of("../client/README.md"),
              work,
              "http://127.0.0.1:" + agent.port(),
              service().toString(),
              "conv2d-readme",
              input.toString(),
              INPUT);
      assertThat(printed)
          .contains("device " + attester.deviceId() + " attested")
          .contains("model conv2d-readme version 1")
          .doesNotContain("refused");
    }
  }

  @Test
  void noKeyInputOrModelByteReachesAServiceOrRuntimeLog(@TempDir Path state) throws Exception {
    TestPolicy.activate();
    TestModels.Sealed[] sealed = new TestModels.Sealed[1];
    Tensor[] io = publishConv2d("conv2d-logs", 1, sealed);
    DevRuntimeAttester attester = enrolledDevice(state);
    List<String> log = new CopyOnWriteArrayList<>();
    try (RuntimeAgent agent = runtime(state, attester, "conv2d-logs", log)) {
      agent.boot();
      RuntimeClient.connect(
              URI.create("http://127.0.0.1:" + agent.port()),
              service(),
              RuntimeClient.ISSUER,
              RuntimeClient.AUDIENCE,
              clock)
          .infer("conv2d-logs", "synthetic", "test", Map.of(INPUT, io[0]));
    }
    List<byte[]> secrets = new ArrayList<>();
    secrets.add(sealed[0].dataKey().bytes(InsecureSecretKeyAccess.get()));
    secrets.add(Files.readAllBytes(Path.of(dataDir, "keys", "master.key")));
    secrets.add(Arrays.copyOfRange(resource("model.onnx"), 200, 232));
    secrets.add(Arrays.copyOfRange(io[0].data(), 0, 32));
    String logs =
        Files.readString(Path.of(serviceLog), StandardCharsets.ISO_8859_1)
            + "\n"
            + String.join("\n", log);
    assertThat(logs).contains("conv2d-logs");
    for (byte[] secret : secrets) {
      for (String form : LogScan.encodings(secret)) {
        assertThat(logs).as("a log holds a secret (%s)", form).doesNotContain(form);
      }
    }
  }

  @Test
  void aTamperedPackageIsRefusedAndTheRuntimeDoesNotServe(@TempDir Path state) throws Exception {
    TestPolicy.activate();
    DevRuntimeAttester attester = enrolledDevice(state);
    // A published package, then one ciphertext byte changed in the service's package store.
    String model = "conv2d-tampered";
    publishConv2d(model, 1);
    Path pkg = Path.of(dataDir, "packages", model, "1.sealed");
    try (RandomAccessFile f = new RandomAccessFile(pkg.toFile(), "rw")) {
      long at = f.length() - 100;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
    List<String> log = new CopyOnWriteArrayList<>();
    try (RuntimeAgent agent = runtime(state, attester, model, log)) {
      assertThatThrownBy(agent::boot)
          .isInstanceOfSatisfying(
              SealException.class,
              e -> assertThat(e.id()).isEqualTo(SealException.SEGMENT_TAMPERED));
      assertThat(agent.served()).isEmpty();
    }
  }

  /**
   * The update path against the real service (not a scripted one): a version published while the
   * runtime serves reaches it at its next re-attestation (a new challenge, appraisal and grant),
   * and after that version is revoked, the service's answer (the newest version left, an older one)
   * is refused by the runtime's version floor when it boots again, before any download.
   */
  @Test
  void aNewVersionArrivesByReattestationAndAnOlderOneIsRefusedAfterARestart(@TempDir Path state)
      throws Exception {
    TestPolicy.activate();
    String model = "conv2d-update";
    Tensor[] io = publishConv2d(model, 1);
    DevRuntimeAttester attester = enrolledDevice(state);
    List<String> log = new CopyOnWriteArrayList<>();
    try (RuntimeAgent agent = runtime(state, attester, model, log)) {
      agent.boot();
      assertThat(agent.served()).containsEntry(model, 1L);
      String firstToken = agent.token();
      URI runtime = URI.create("http://127.0.0.1:" + agent.port());
      assertThat(infer(runtime, model, io).version()).isEqualTo(1);

      publishConv2d(model, 2);
      agent.reattestNow(); // what the schedule runs
      assertThat(agent.served()).containsEntry(model, 2L);
      assertThat(agent.token()).isNotEqualTo(firstToken);
      assertThat(infer(runtime, model, io).version()).isEqualTo(2);
    }
    assertThat(log).anyMatch(l -> l.startsWith("unseal: " + model + " v2"));

    Api.as("model-publisher")
        .post("/v1/models/" + model + "/versions/2/revoke")
        .then()
        .statusCode(200);
    Path packages = state.resolve("packages");
    try (var before = Files.list(packages)) {
      assertThat(before.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(model + "-1.sealed", model + "-2.sealed");
    }
    Files.delete(packages.resolve(model + "-1.sealed")); // so a download would show
    try (RuntimeAgent restarted = runtime(state, attester, model, log)) {
      assertThatThrownBy(restarted::boot)
          .isInstanceOfSatisfying(
              RollbackException.class, e -> assertThat(e.getMessage()).contains(model));
      assertThat(restarted.served()).isEmpty();
    }
    try (var after = Files.list(packages)) {
      assertThat(after.map(p -> p.getFileName().toString()))
          .as("nothing downloaded for the refused version")
          .containsExactly(model + "-2.sealed");
    }
  }

  /**
   * Publication and revocation reach an online runtime by its event long poll, without waiting for
   * its scheduled re-attestation (tokens here live for minutes; the test never calls {@code
   * reattestNow}), while an application sends requests back to back: not one request fails during
   * the update, version 2 answers, and version 1's session is closed once drained. After version 2
   * is revoked nothing of the model is served (the service grants version 1 again, which the
   * version floor refuses): requests are refused by the runtime. The delays are printed, not
   * asserted (the update benchmark measures them).
   */
  @Test
  void anUpdateAndARevocationReachTheRunningRuntimeByItsEvents(@TempDir Path state)
      throws Exception {
    TestPolicy.activate();
    String model = "conv2d-pushed";
    Tensor[] io = publishConv2d(model, 1);
    DevRuntimeAttester attester = enrolledDevice(state);
    List<String> log = new CopyOnWriteArrayList<>();
    try (RuntimeAgent agent = runtime(state, attester, model, log)) {
      agent.boot();
      assertThat(agent.served()).containsEntry(model, 1L);
      RuntimeClient app =
          RuntimeClient.connect(
              URI.create("http://127.0.0.1:" + agent.port()),
              service(),
              RuntimeClient.ISSUER,
              RuntimeClient.AUDIENCE,
              clock);
      // A request every 20 ms: under the policy's 6000 per minute.
      try (SteadyLoad load =
          SteadyLoad.start(
              () -> app.infer(model, "synthetic", "test", Map.of(INPUT, io[0])).version(),
              java.time.Duration.ofMillis(20))) {
        await(() -> load.answered(1) > 0, "version 1 answering", log);

        long published = System.nanoTime();
        publishConv2d(model, 2);
        await(() -> load.answered(2) > 0, "version 2 answering", log);
        long firstV2 = System.nanoTime();
        await(
            () -> log.stream().anyMatch(l -> l.startsWith("closed: " + model + " v1 ")),
            "version 1 closed",
            log);
        assertThat(load.failures()).as("requests failed during the update").isEmpty();
        assertThat(log)
            .anyMatch(l -> l.startsWith("events: model.published model:" + model + "@2"));

        long revoked = System.nanoTime();
        Api.as("model-publisher")
            .post("/v1/models/" + model + "/versions/2/revoke")
            .then()
            .statusCode(200);
        await(() -> !load.failures().isEmpty(), "requests refused", log);
        long firstRefusal = System.nanoTime();
        assertThat(load.failures())
            .allSatisfy(
                f ->
                    assertThat(f)
                        .isInstanceOfSatisfying(
                            InferenceRefusedException.class,
                            e -> assertThat(e.id()).isEqualTo("infer.unknown-model")));
        assertThat(agent.served()).isEmpty();
        assertThat(log).anyMatch(l -> l.startsWith("withdrawn: " + model + " v2"));
        System.out.printf(
            "update under load: %d requests, 0 failed; version 2 answered %d ms after"
                + " publication; refusals began %d ms after revocation%n",
            load.answered(1) + load.answered(2),
            (firstV2 - published) / 1_000_000,
            (firstRefusal - revoked) / 1_000_000);
      }
    }
    // Both sides audited: the device's signed usage reports say when it stopped serving each
    // version, and why.
    List<String> unloaded = new ArrayList<>();
    for (JsonNode r : AuditLines.search(Map.of("kind", "usage", "device", attester.deviceId()))) {
      r.at("/entry/facts/detail/unloaded")
          .forEach(
              u -> unloaded.add("v" + u.get("version").asLong() + " " + u.get("reason").asText()));
    }
    assertThat(unloaded).contains("v1 superseded", "v2 revoked");
  }

  /** A hang guard (a minute), not a timing assertion: waits until {@code done} holds. */
  private static void await(java.util.function.BooleanSupplier done, String what, List<String> log)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what + "; runtime log: " + log);
      }
      Thread.sleep(50);
    }
  }

  private InferenceMessages.Response infer(URI runtime, String model, Tensor[] io)
      throws Exception {
    return RuntimeClient.connect(
            runtime, service(), RuntimeClient.ISSUER, RuntimeClient.AUDIENCE, clock)
        .infer(model, "synthetic", "test", Map.of(INPUT, io[0]));
  }
}
