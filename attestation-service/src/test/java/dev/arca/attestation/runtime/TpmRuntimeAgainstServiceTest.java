// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TcpRelay;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.attestation.testing.TpmDevice;
import dev.arca.client.RuntimeClient;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.tensor.Tensor;
import dev.arca.devstack.Swtpm;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.Tpm2RuntimeAttester;
import dev.arca.runtime.lease.SealedLease;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.service.ServiceClient.ModelRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole slice on a TPM: a swtpm device enrols with its real EK chain and credential activation,
 * the runtime ({@link Tpm2RuntimeAttester}: measurement log in PCR 23, quote bound to the report
 * data) boots hardened against this service, receives a PHI grant that only an enrolled
 * hardware-rooted device of a clinic gets, unseals test_Conv2d in memory, and answers an encrypted
 * PHI request within 1e-5. Skips, naming the tools, without swtpm or tpm2-tools (CI installs them).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class TpmRuntimeAgainstServiceTest {
  /** The directory {@code %test.arca.tpm.ek-roots} names (relative to the module). */
  private static final Path ROOTS = Path.of("target", "test-ek-roots");

  private static final String MODEL = "conv2d-phi";
  private static final String INPUT = RuntimeAgainstServiceTest.INPUT;
  private static Swtpm tpm;
  private static boolean bootPinned;

  @Inject TestClock clock;

  @BeforeAll
  static void startTpm() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
    TpmDevice.pinRoot(tpm, ROOTS);
  }

  @AfterAll
  static void stopTpm() throws Exception {
    if (tpm != null) {
      tpm.close();
    }
    if (Files.exists(ROOTS)) {
      try (Stream<Path> files = Files.walk(ROOTS)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void anEnrolledTpmDeviceGetsPhiAndServesItEncrypted(@TempDir Path state) throws Exception {
    TestPolicy.activate();
    Tensor[] io = RuntimeAgainstServiceTest.publishConv2d(MODEL, 1);
    Tensor input = io[0];
    Tensor expected = io[1];

    String deviceId = "tpm-clinic-1";
    try (Tpm2RuntimeAttester attester =
        Tpm2RuntimeAttester.open("swtpm:127.0.0.1:" + tpm.port(), state, deviceId)) {
      enrol(attester, deviceId);

      URI service = URI.create("http://localhost:" + RestAssured.port);
      List<String> log = new CopyOnWriteArrayList<>();
      try (RuntimeAgent agent = runtime(service, state, attester, List.of(MODEL), log)) {
        agent.boot();
        RuntimeClient app = app(agent, clock);
        assertThat(app.attestation().statuses()).containsKey("tpm2");
        assertThat(app.attestation().requireGrant(MODEL, "phi").dataClasses())
            .containsExactly("phi");
        assertAnswers(app, MODEL, input, expected);
      }
      assertThat(String.join("\n", log))
          .contains("attest: tpm2 evidence accepted")
          .contains("unseal: conv2d-phi v1 decrypted in memory for [phi]");
    }
  }

  /**
   * A clinic box that reboots during a WAN outage serves on from the lease its TPM sealed, with the
   * same key and token as before the reboot, until the grant's offline allowance (30 minutes past
   * the one-hour lease) ends; then it refuses, closes the model and deletes the lease. The same box
   * started with another configuration (a modified runtime: another PCR 23) cannot unseal it.
   */
  @Test
  void aRebootDuringAnOutageServesFromTheSealedLeaseUntilItsAllowanceEnds(@TempDir Path state)
      throws Exception {
    TestPolicy.activate();
    String model = "conv2d-offline";
    Tensor[] io = RuntimeAgainstServiceTest.publishConv2d(model, 1);
    String tpmArg = "swtpm:127.0.0.1:" + tpm.port();
    List<String> log = new CopyOnWriteArrayList<>();
    Path lease = state.resolve(SealedLease.FILE);
    try (TcpRelay wan = TcpRelay.to(RestAssured.port)) {
      byte[] runtimeKey = enrolAndServeOnline(wan, state, "tpm-offline-1", model, log);
      assertThat(lease).exists();

      wan.cut();
      Clock appClock = Clock.fixed(clock.instant(), java.time.ZoneOffset.UTC);
      try (Tpm2RuntimeAttester attester = Tpm2RuntimeAttester.open(tpmArg, state, "tpm-offline-1");
          RuntimeAgent rebooted = runtime(wan.uri(), state, attester, List.of(model), log)) {
        rebooted.boot();
        assertThat(rebooted.standing()).isInstanceOf(Standing.Offline.class);
        assertThat(rebooted.served()).containsEntry(model, 1L);
        RuntimeClient app = app(rebooted, appClock);
        assertThat(app.attestation().runtimeKey()).isEqualTo(runtimeKey);
        assertAnswers(app, model, io[0], io[1]);

        // Past the offline allowance: refused by the runtime itself, then closed and wiped.
        clock.advance(Duration.ofHours(1).plusMinutes(31));
        try {
          assertThatThrownBy(() -> app.infer(model, "phi", "treatment", Map.of(INPUT, io[0])))
              .isInstanceOfSatisfying(
                  InferenceRefusedException.class,
                  e -> assertThat(e.id()).isEqualTo("lease.expired"));
          rebooted.reattestNow();
          assertThat(rebooted.served()).isEmpty();
          assertThat(lease).doesNotExist();
        } finally {
          clock.reset();
        }
      }
      assertThat(String.join("\n", log))
          .contains("resume: serving {" + model + "=1} from the lease sealed to this device's TPM")
          .contains("offline: the offline allowance of [" + model + "] ended");
    }
  }

  /**
   * Requests served from the sealed lease during an outage, across a reboot, are counted, signed
   * with the usage key the last online attestation bound, and kept on disk; when the service is
   * back they reach the audit log once, verified against that attestation.
   */
  @Test
  void usageServedDuringAnOutageArrivesOnceWhenTheServiceIsBack(@TempDir Path state)
      throws Exception {
    TestPolicy.activate();
    String model = "conv2d-usage";
    String device = "tpm-usage-1";
    Tensor[] io = RuntimeAgainstServiceTest.publishConv2d(model, 1);
    String tpmArg = "swtpm:127.0.0.1:" + tpm.port();
    List<String> log = new CopyOnWriteArrayList<>();
    try (TcpRelay wan = TcpRelay.to(RestAssured.port)) {
      enrolAndServeOnline(wan, state, device, model, log);
      wan.cut();
      try (Tpm2RuntimeAttester attester = Tpm2RuntimeAttester.open(tpmArg, state, device);
          RuntimeAgent rebooted = runtime(wan.uri(), state, attester, List.of(model), log)) {
        rebooted.boot();
        RuntimeClient app = app(rebooted, Clock.fixed(clock.instant(), java.time.ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
          assertAnswers(app, model, io[0], io[1]);
        }
        // Refused by the runtime (no inputs): counted as refused.
        assertThatThrownBy(() -> app.infer(model, "phi", "treatment", Map.of()))
            .isInstanceOf(InferenceRefusedException.class);
        rebooted.reattestNow(); // fails: the period's report is signed and queued
      }
      assertThat(usageEntries(device)).isEmpty();
      try (var queued = java.nio.file.Files.list(state.resolve("usage"))) {
        assertThat(queued.count()).isEqualTo(1);
      }

      wan.restore();
      try (Tpm2RuntimeAttester attester = Tpm2RuntimeAttester.open(tpmArg, state, device);
          RuntimeAgent back = runtime(wan.uri(), state, attester, List.of(model), log)) {
        back.boot();
        assertThat(back.standing()).isInstanceOf(Standing.Online.class);
        back.reattestNow(); // nothing left to send
      }
    }
    List<JsonNode> entries = usageEntries(device);
    assertThat(entries).hasSize(1);
    JsonNode detail = entries.get(0).at("/entry/facts/detail");
    assertThat(detail.get("served").asLong()).isEqualTo(3);
    assertThat(detail.get("refused").asLong()).isEqualTo(1);
    assertThat(detail.at("/counts/0/model").asText()).isEqualTo(model);
    assertThat(detail.at("/counts/0/dataClass").asText()).isEqualTo("phi");
    // Signed by the key of the boot that served: the first one's, taken back with its lease.
    JsonNode appraisal = AuditLines.entry(detail.get("attestedIn").asLong());
    assertThat(appraisal.at("/facts/subject").asText()).isEqualTo("device:" + device);
    assertThat(appraisal.at("/facts/detail/replay/usageKey").asText())
        .isEqualTo(detail.get("usageKey").asText());
    assertThat(String.join("\n", log)).contains("usage: 1 report(s) accepted");
  }

  private static List<JsonNode> usageEntries(String device) {
    return AuditLines.search(Map.of("kind", "usage", "device", device));
  }

  @Test
  void aModifiedRuntimeCannotUnsealTheLeaseOfTheGenuineOne(@TempDir Path state) throws Exception {
    TestPolicy.activate();
    String model = "conv2d-offline-2";
    RuntimeAgainstServiceTest.publishConv2d(model, 1);
    String tpmArg = "swtpm:127.0.0.1:" + tpm.port();
    List<String> log = new CopyOnWriteArrayList<>();
    try (TcpRelay wan = TcpRelay.to(RestAssured.port)) {
      enrolAndServeOnline(wan, state, "tpm-offline-2", model, log);
      wan.cut();
      // The same device, started with another configuration: its measurement log, and so PCR 23,
      // differs from the one the lease was sealed to.
      try (Tpm2RuntimeAttester attester = Tpm2RuntimeAttester.open(tpmArg, state, "tpm-offline-2");
          RuntimeAgent modified =
              runtime(wan.uri(), state, attester, List.of(model, "another-model"), log)) {
        modified.boot();
        assertThat(modified.served()).isEmpty();
        assertThat(modified.token()).isNull();
      }
      assertThat(String.join("\n", log))
          .contains("resume: the sealed offline lease cannot be used")
          .contains("policy check failed");
      assertThat(state.resolve(SealedLease.FILE)).exists();
    }
  }

  /**
   * Enrols {@code deviceId} on the swtpm and boots its runtime once through {@code wan}, online,
   * until it serves {@code model}; returns the runtime key its token binds.
   */
  private byte[] enrolAndServeOnline(
      TcpRelay wan, Path state, String deviceId, String model, List<String> log) throws Exception {
    try (Tpm2RuntimeAttester attester =
        Tpm2RuntimeAttester.open("swtpm:127.0.0.1:" + tpm.port(), state, deviceId)) {
      enrol(attester, deviceId);
      try (RuntimeAgent online = runtime(wan.uri(), state, attester, List.of(model), log)) {
        online.boot();
        assertThat(online.served()).containsEntry(model, 1L);
        return app(online, clock).attestation().runtimeKey();
      }
    }
  }

  private RuntimeAgent runtime(
      URI service,
      Path state,
      Tpm2RuntimeAttester attester,
      List<String> models,
      List<String> log) {
    return new RuntimeAgent(
        new RuntimeAgent.Config(
            service,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            state,
            models.stream().map(m -> new ModelRequest(m, "phi")).toList(),
            RuntimeAgainstServiceTest.publishers(),
            false),
        attester,
        clock,
        log::add);
  }

  private static RuntimeClient app(RuntimeAgent agent, Clock appClock) throws Exception {
    return RuntimeClient.connect(
        URI.create("http://127.0.0.1:" + agent.port()),
        URI.create("http://localhost:" + RestAssured.port),
        RuntimeClient.ISSUER,
        RuntimeClient.AUDIENCE,
        appClock);
  }

  private static void assertAnswers(RuntimeClient app, String model, Tensor input, Tensor expected)
      throws Exception {
    InferenceMessages.Response r = app.infer(model, "phi", "treatment", Map.of(INPUT, input));
    float[] got = r.outputs().values().iterator().next().floats();
    float[] want = expected.floats();
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
    }
  }

  /**
   * Enrols a TPM device of class {@code clinic} as {@code arca device enroll --tpm} does: request,
   * then credential activation. The first call pins the swtpm's boot PCRs for clinic boxes, without
   * which no TPM is appraised.
   */
  private static synchronized void enrol(Tpm2RuntimeAttester attester, String deviceId)
      throws Exception {
    if (!bootPinned) {
      TpmDevice.pinBootPcrs(tpm, "clinic-boot", "clinic");
      bootPinned = true;
    }
    var enroller = attester.enroller(tpm.ekIntermediates());
    Map<String, Object> credential =
        Api.as("device-admin")
            .contentType("application/json")
            .body(
                Map.of(
                    "id",
                    deviceId,
                    "format",
                    "tpm2",
                    "enrolment",
                    enroller.request().toJson(),
                    "attributes",
                    Map.of("class", "clinic")))
            .post("/v1/devices")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getMap("activation.credential");
    byte[] secret =
        enroller.activate(
            Base64.getDecoder().decode((String) credential.get("idObject")),
            Base64.getDecoder().decode((String) credential.get("encryptedSecret")));
    RestAssured.given()
        .contentType("application/json")
        .body(Map.of("secret", Base64.getEncoder().encodeToString(secret)))
        .post("/v1/devices/" + deviceId + "/activation")
        .then()
        .statusCode(200);
  }
}
