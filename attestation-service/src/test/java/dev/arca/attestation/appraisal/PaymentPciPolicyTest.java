// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.Appraiser;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditorReplay;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestCollateral;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.attestation.testing.TestRootFiles;
import dev.arca.evidence.nitro.TestNitroDocuments;
import dev.arca.evidence.sevsnp.TestSevSnpReports;
import dev.arca.evidence.tdx.TestTdxQuotes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bank's sample policy ({@code policy/samples/payment-pci.yaml}) active in the service,
 * deciding for SEV-SNP, Nitro and TDX machines in the cardholder data environment: the model's
 * signed {@code pci-approved} label and the machine's TCB status reach it through the appraisal, as
 * in its fixtures. Evidence is test-signed (roots pinned by the {@code %test} profile only). The
 * service test policy is active again after this class.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class PaymentPciPolicyTest {
  private static final Path SAMPLE = Path.of("..", "policy", "samples", "payment-pci.yaml");
  private static final HexFormat HEX = HexFormat.of();
  private static final Map<String, String> CDE =
      Map.of("class", "payment-gateway", "owner", "payments", "pci-zone", "cde");

  private static TestSevSnpReports snp;
  private static TestNitroDocuments nitro;
  private static final String TDX_PPID = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";
  private static final TestTdxQuotes TDX = new TestTdxQuotes(TDX_PPID);
  private static boolean ready;

  @Inject TestClock clock;

  @BeforeAll
  static void pinTestRoots() throws Exception {
    Instant now = Instant.now();
    snp = new TestSevSnpReports(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    nitro = new TestNitroDocuments(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    TestRootFiles.pin("sev-snp", "payment-pci-sev-snp-root", snp.root());
    TestRootFiles.pin("nitro", "payment-pci-nitro-root", nitro.root);
    TestRootFiles.pin("tdx", "payment-pci-tdx-root", TDX.root());
  }

  /** Publishes the models and uploads the policy and collateral once; activates it per test. */
  @BeforeEach
  void setUp() throws Exception {
    if (!ready) {
      ready = true;
      publishAndUpload();
    }
    Api.as("policy-admin")
        .post("/v1/policies/payment-pci/versions/1/activate")
        .then()
        .statusCode(200);
  }

  private static void publishAndUpload() throws Exception {
    TestModels.publish(
            TestModels.seal(
                "fraud-scorer", 1, List.of("pci"), Map.of("pci-approved", "true"), 1024))
        .then()
        .statusCode(201);
    TestModels.publish(TestModels.seal("unreviewed-scorer", 1, List.of("pci"), 1024))
        .then()
        .statusCode(201);
    Api.as("policy-admin")
        .contentType("application/yaml")
        .body(Files.readAllBytes(SAMPLE))
        .post("/v1/policies")
        .then()
        .statusCode(201);
    TestCollateral.upload("sev-snp", "cert_chain.pem", snp.askArkPem());
    TDX.collateral(TestTdxQuotes.VECTOR_TIME)
        .forEach((name, content) -> TestCollateral.upload("tdx", name, content));
  }

  /** Other classes of this JVM expect the service test policy. */
  @AfterEach
  void restoreTheServiceTestPolicy() {
    TestPolicy.activate();
  }

  private static List<Map<String, Object>> scoring(String modelId) {
    return List.of(Map.of("modelId", modelId, "dataClass", "pci", "purpose", "fraud-scoring"));
  }

  /**
   * Re-runs the recorded appraisal as {@code arca audit verify} does, trusting this run's SEV-SNP
   * test root as the service does, and asserts every decision was re-decided alike.
   */
  private static void replays(JsonNode replayRecord, String type, String outcome) throws Exception {
    AppraisalReplay replay =
        AuditorReplay.with(
            Appraiser.builtin(f -> f.equals("sev-snp") ? List.of(snp.root()) : List.of()));
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.set("replay", replayRecord);
    assertThat(replay.replay(type, outcome, detail)).isEqualTo(AppraisalReplay.Depth.DECISION);
  }

  private static JsonNode recordedDecision(ValidatableResponse r, String deviceId, int status) {
    long sequence = r.statusCode(status).extract().jsonPath().getLong("auditSequence");
    String outcome = status == 200 ? "permit" : "attestation/policy-denied";
    JsonNode entry =
        Refusals.recorded(
            sequence,
            status == 200 ? "attestation.appraised" : "attestation.rejected",
            deviceId,
            outcome);
    return entry.at("/facts/detail/replay");
  }

  @Test
  void anSevSnpGatewayScoresFraudOnlyWithAnApprovedModelAtTheBaselineTcb() throws Exception {
    byte[] chip = new byte[64];
    new SecureRandom().nextBytes(chip);
    TestCollateral.upload("sev-snp", "vcek.der", snp.vcekDer(chip));
    HardwareDevice d = new HardwareDevice("pay-snp-1", "sev-snp");
    d.enrol(Map.of("chipId", HEX.formatHex(chip)), CDE).statusCode(201);
    byte[] measurement = new byte[48];
    Arrays.fill(measurement, (byte) 0x5b);
    d.references("pay-snp-1-launch", Map.of("measurement", List.of(HEX.formatHex(measurement))));
    java.util.function.Function<String, ValidatableResponse> attest =
        modelId -> {
          byte[] nonce = d.challenge();
          byte[] report =
              snp.report(chip, Arrays.copyOf(d.reportData(nonce), 64), false, measurement);
          return d.attest("sev-snp", nonce, report, scoring(modelId));
        };

    // At the bank's TCB baseline, an approved model is released to the gateway. (Below it the
    // status is OutOfDate and no rule permits card data: the policy's fixture
    // deny-snp-tcb-below-baseline and SevSnpTcbBaselineTest; this database keeps one baseline, the
    // test reports' own, so that no other test's SEV-SNP machine turns out of date.)
    TestCollateral.upload("sev-snp", "snp_tcb_baseline.json", TestCollateral.milanTcbBaseline());
    JsonNode permit = recordedDecision(attest.apply("fraud-scorer"), d.id, 200);
    assertThat(permit.at("/decisions/0/rules").toString()).contains("cde-confidential-vms");
    assertThat(permit.at("/decisions/0/modelLabels/pci-approved").asText()).isEqualTo("true");
    assertThat(permit.at("/collateral").has("snp_tcb_baseline.json")).isTrue();
    // The auditor's replay re-decides with the recorded labels and the kept baseline.
    replays(permit, "attestation.appraised", "permit");

    // A model its publisher did not label pci-approved is refused by the rule that says so.
    ValidatableResponse unlabelled = attest.apply("unreviewed-scorer");
    unlabelled.body("denials[0].rules", hasItem("model-not-pci-approved"));
    replays(
        recordedDecision(unlabelled, d.id, 403),
        "attestation.rejected",
        "attestation/policy-denied");
  }

  @Test
  void aNitroEnclaveScoresFraudWithoutATcbStatus() throws Exception {
    HardwareDevice d = new HardwareDevice("pay-nitro-1", "nitro");
    d.enrol(Map.of("moduleId", "i-pay1-enc1"), CDE).statusCode(201);
    byte[] pcr = new byte[48];
    Arrays.fill(pcr, (byte) 0x42);
    String h = HEX.formatHex(pcr);
    d.references(
        "pay-nitro-1-image", Map.of("PCR0", List.of(h), "PCR1", List.of(h), "PCR2", List.of(h)));
    Map<Integer, byte[]> image = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      image.put(i, pcr);
    }
    byte[] nonce = d.challenge();
    ValidatableResponse r =
        d.attest(
            "nitro",
            nonce,
            nitro.document("i-pay1-enc1", image, d.reportData(nonce)),
            scoring("fraud-scorer"));
    JsonNode permit =
        recordedDecision(r.body("grants[0].modelId", equalTo("fraud-scorer")), d.id, 200);
    assertThat(permit.at("/decisions/0/rules").toString()).contains("cde-confidential-vms");
  }

  @Test
  void aTdxNodeWhoseTcbLevelIntelDoesNotListIsDenied() {
    HardwareDevice d = new HardwareDevice("pay-tdx-1", "tdx");
    d.enrol(Map.of("ppid", TDX_PPID), CDE).statusCode(201);
    d.references("pay-tdx-1-td", Map.of("mrtd", List.of(TestTdxQuotes.vectorMrtd())));
    // Intel's collateral is current only at the vector's time; the platform's TCB is not among
    // its levels (TcbLevelNotFound), so the TCB is not up to date and card data stays locked.
    clock.advance(Duration.between(Instant.now(), TestTdxQuotes.VECTOR_TIME));
    ValidatableResponse r;
    try {
      byte[] nonce = d.challenge();
      r =
          d.attest(
              "tdx",
              nonce,
              TDX.quote(Arrays.copyOf(d.reportData(nonce), 64), false),
              scoring("fraud-scorer"));
    } finally {
      clock.reset();
    }
    r.body("denials[0].rules", hasItem("hardware-trust-not-affirmed"));
    JsonNode deny = recordedDecision(r, d.id, 403);
    assertThat(deny.at("/appraisal/status").asText()).isEqualTo("contraindicated");
  }
}
