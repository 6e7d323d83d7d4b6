// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.attestation.testing.TpmDevice;
import dev.arca.client.RuntimeClient;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.devstack.Swtpm;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.Tpm2RuntimeAttester;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
      // The security team pins the clinic boxes' boot chain; without it no TPM is appraised.
      TpmDevice.pinBootPcrs(tpm, "clinic-boot", "clinic");
      // Enrolment as `arca device enroll --tpm` does it: request, then credential activation.
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

      URI service = URI.create("http://localhost:" + RestAssured.port);
      List<String> log = Collections.synchronizedList(new ArrayList<>());
      try (RuntimeAgent agent =
          new RuntimeAgent(
              new RuntimeAgent.Config(
                  service,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  state,
                  List.of(new ModelRequest(MODEL, "phi")),
                  RuntimeAgainstServiceTest.publishers(),
                  false),
              attester,
              clock,
              log::add)) {
        agent.boot();
        RuntimeClient app =
            RuntimeClient.connect(
                URI.create("http://127.0.0.1:" + agent.port()),
                service,
                RuntimeClient.ISSUER,
                RuntimeClient.AUDIENCE,
                clock);
        assertThat(app.attestation().statuses()).containsKey("tpm2");
        assertThat(app.attestation().requireGrant(MODEL, "phi").dataClasses())
            .containsExactly("phi");
        InferenceMessages.Response r = app.infer(MODEL, "phi", "treatment", Map.of(INPUT, input));
        float[] got = r.outputs().values().iterator().next().floats();
        float[] want = expected.floats();
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
          assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
        }
      }
      assertThat(String.join("\n", log))
          .contains("attest: tpm2 evidence accepted")
          .contains("unseal: conv2d-phi v1 decrypted in memory for [phi]");
    }
  }
}
