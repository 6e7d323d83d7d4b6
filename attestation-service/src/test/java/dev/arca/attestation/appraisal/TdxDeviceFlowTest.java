// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestCollateral;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestRootFiles;
import dev.arca.evidence.tdx.TestTdxQuotes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Intel TDX platforms through the REST API: enrolment by PPID, Intel's TCB info and QE identity as
 * uploaded collateral, the real production quote appraised, a fresh-nonce flow with test-signed
 * quotes, a debug TD, and enrolment refusals. Intel's collateral of the vector is current only
 * around 2023-07-01, so every test here runs the service's clock at that time. Test-signed quotes
 * carry the real PCK's SGX extensions (so Intel's TCB info applies) under a test root that only the
 * {@code %test} profile's {@code arca.formats.tdx.test-roots} pins (this class writes it).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class TdxDeviceFlowTest {

  private static TestTdxQuotes quotes;
  private static boolean ready;

  @Inject TestClock clock;

  /** Pins this run's test root for the rest of the test JVM (later audits replay under it). */
  @BeforeAll
  static void pinTestRoot() {
    quotes = new TestTdxQuotes();
    TestRootFiles.pin("tdx", "tdx-test-root", quotes.root());
  }

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.activatePolicyAndPublish("tdx-model");
    quotes
        .collateral(TestTdxQuotes.VECTOR_TIME)
        .forEach((name, content) -> TestCollateral.upload("tdx", name, content));
  }

  /**
   * The one device of this class: every quote here carries the real PCK's PPID, and one identity
   * enrols once. Reference-value sets matter only to the grant test; the others fail before them.
   */
  private static HardwareDevice device;

  private static HardwareDevice enrolled() {
    if (device == null) {
      String ppid = TestTdxQuotes.vectorPpid();
      device = new HardwareDevice("tdx-edge-1", "tdx");
      device
          .enrol(Map.of("ppid", ppid), Map.of("class", "td"))
          .statusCode(201)
          .body("identity", equalTo("tdx:ppid:" + ppid))
          .body("enrolment.ppid", equalTo(ppid));
    }
    return device;
  }

  private ValidatableResponse attest(HardwareDevice d, boolean debug) {
    return atVectorTime(nonce -> quotes.quote(Arrays.copyOf(d.reportData(nonce), 64), debug), d);
  }

  /**
   * Challenges and attests with the service's clock at the vector's time, when Intel's collateral
   * is current; the rest of each test (enrolment, reference values) runs at the real time.
   */
  private ValidatableResponse atVectorTime(
      java.util.function.Function<byte[], byte[]> quoteFor, HardwareDevice d) {
    clock.advance(Duration.between(Instant.now(), TestTdxQuotes.VECTOR_TIME));
    try {
      byte[] nonce = d.challenge();
      return d.attest(
          "tdx", nonce, quoteFor.apply(nonce), List.of(model("tdx-model", "synthetic")));
    } finally {
      clock.reset();
    }
  }

  private static String vectorMrtd() {
    return TestTdxQuotes.vectorMrtd();
  }

  @Test
  void aTestSignedQuoteForAFreshNonceEarnsAGrantWithItsTcbStatus() {
    HardwareDevice d = enrolled();
    // The TD's MRTD must be pinned: without a set the platform is refused.
    Refusals.refused(attest(d, false), 403, "attestation/reference-missing", d.id);
    d.references("tdx-edge-1-td", Map.of("mrtd", List.of(vectorMrtd())));
    long sequence =
        attest(d, false)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .body("grants[0].modelId", equalTo("tdx-model"))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    JsonNode entry = Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
    // Intel's TCB info was chosen for the quote's FMSPC, verified and recorded by digest. None of
    // its levels covers this platform (TcbLevelNotFound), so the hardware claim is
    // contraindicated; the test policy still permits synthetic data on any enrolled device.
    JsonNode replay = entry.at("/facts/detail/replay");
    assertThat(replay.at("/collateral").has("tcbinfo.json")).isTrue();
    assertThat(replay.at("/appraisal/status").asText()).isEqualTo("contraindicated");
    // The vendor's TCB status, for people (the console's fleet table and entry page).
    assertThat(entry.at("/facts/detail/tcbStatus").asText()).isEqualTo("TcbLevelNotFound");
    d.references("tdx-edge-1-td", Map.of("mrtd", List.of("00".repeat(48))));
    Refusals.refused(attest(d, false), 403, "attestation/reference-mismatch", d.id);
  }

  @Test
  void aDebugTdIsRefused() {
    HardwareDevice d = enrolled();
    Refusals.refused(attest(d, true), 403, "attestation/debug-evidence", d.id);
  }

  @Test
  void theRealIntelQuoteFullyVerifiesAndIsRefusedOnlyForItsBinding() throws Exception {
    for (String crl : List.of("pckcrl", "rootcrl.der")) {
      TestCollateral.upload("tdx", crl, resource(crl));
    }
    HardwareDevice d = enrolled();
    // The real quote chains to Intel's root, pinned in the evidence module; a captured quote
    // cannot bind this service's fresh nonce, so only its binding fails. The real PCK CRL and
    // root CRL are Intel's, uploaded beside the test CAs' ones.
    ValidatableResponse r = atVectorTime(nonce -> TestTdxQuotes.vector(), d);
    r.body("failures.id", equalTo(List.of("tdx.report-data.mismatch")));
    Refusals.refused(r, 403, "attestation/report-data-unbound", d.id);
  }

  private static byte[] resource(String name) throws Exception {
    try (java.io.InputStream in =
        TdxDeviceFlowTest.class.getResourceAsStream("/vectors/tdx/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void enrolmentWithoutAUsablePpidIsRefused() {
    HardwareDevice d = new HardwareDevice("tdx-bad-enrolment", "tdx");
    for (Map<String, String> bad :
        List.of(
            Map.of("ppid", "abcd"), Map.of("ppid", "zz".repeat(16)), Map.<String, String>of())) {
      d.enrol(bad, Map.of())
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:invalid-request"));
    }
  }
}
