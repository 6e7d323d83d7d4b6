// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.attestation.testing.TpmDevice;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import dev.arca.devstack.Swtpm;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TPM devices end to end on a real software TPM (swtpm, manufactured with an EK certificate by
 * swtpm-localca, whose root the test pins as the only EK root): enrolment with the real EK chain,
 * credential activation with TPM2_ActivateCredential, then attestation with a quote over PCRs 0-7
 * and the application PCR 23. Negatives — no root pinned, an EK chain from another manufacturer, a
 * wrong or late activation secret, attesting while pending, PCR 23 not matching the reference
 * values — each answer their own problem type and leave an audit record. Skips, naming the tools,
 * where swtpm or tpm2-tools is not installed (CI installs them).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class TpmDeviceFlowTest {
  /** The directory {@code %test.arca.tpm.ek-roots} names (relative to the module). */
  private static final Path ROOTS = Path.of("target", "test-ek-roots");

  private static Swtpm tpm;
  private static Path state;

  @Inject TestClock clock;

  private static boolean ready;
  private static TestModels.Sealed sealed;

  @BeforeAll
  static void startTpm() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    deleteTree(ROOTS);
    tpm = Swtpm.start();
    TpmDevice.pinRoot(tpm, ROOTS);
    state = Files.createTempDirectory("arca-tpm-devices-");
  }

  @AfterAll
  static void stopTpm() throws Exception {
    if (tpm != null) {
      tpm.close();
    }
    deleteTree(state);
    deleteTree(ROOTS);
  }

  /** Reference values and a model, through the API (REST Assured is configured once tests run). */
  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestPolicy.activate();
    sealed = TestModels.seal("tpm-model", 1, List.of("synthetic"), 4096);
    TestModels.publish(sealed).then().statusCode(201);
  }

  private TpmDevice device(String id) throws Exception {
    return new TpmDevice(id, tpm, Files.createDirectory(state.resolve(id)));
  }

  /** Pins {@code measurements} for devices of {@code deviceClass}, as {@code policy-admin}. */
  private static void references(
      String name, String deviceClass, Map<String, List<String>> measurements) {
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "format", "tpm2", "subject", "class:" + deviceClass, "measurements", measurements))
        .post("/v1/reference-values/" + name)
        .then()
        .statusCode(201);
  }

  /** Enrols and activates {@code d}; returns the device JSON after activation. */
  private static JsonPath enrolAndActivate(TpmDevice d, String deviceClass) throws Exception {
    Map<String, Object> credential =
        d.enrol(Map.of("class", deviceClass))
            .statusCode(201)
            .extract()
            .jsonPath()
            .getMap("activation.credential");
    byte[] secret = d.activate(credential);
    return d.sendActivation(secret).statusCode(200).extract().jsonPath();
  }

  private static ValidatableResponse attest(TpmDevice d) throws Exception {
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(model("tpm-model", "synthetic"))))
        .post("/v1/attestations")
        .then();
  }

  /**
   * Asserts the problem type and its audit record: for an attestation, the entry the refusal names;
   * for an enrolment step (whose answer names no entry), one among this test's own device's.
   */
  private static void problem(ValidatableResponse r, int status, String type, String deviceId) {
    if (type.startsWith("attestation/")) {
      Refusals.refused(r, status, type, deviceId);
      return;
    }
    r.statusCode(status)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:" + type))
        .body("grants", nullValue())
        .body("token", nullValue());
    assertThat(AuditLines.outcomes(AuditLines.about("device:" + deviceId))).contains(type);
  }

  @Test
  void enrolActivateAndAttestWithAQuote() throws Exception {
    TpmDevice d = device("tpm-edge-1");
    d.extendLog();
    references("tpm-refs", "tpm-box", d.referenceValues());

    JsonPath enrolled =
        d.enrol(Map.of("class", "tpm-box"))
            .statusCode(201)
            .body("status", equalTo("pending"))
            .body("identity", equalTo(d.enroller.identity()))
            .body("enrolment.ekIssuer", equalTo("CN=swtpm-localca"))
            .body("activation.credential.idObject", notNullValue())
            .body("activation.credential.encryptedSecret", notNullValue())
            .body("activation.expiresAt", notNullValue())
            .extract()
            .jsonPath();

    // Pending: no attestation yet.
    problem(attest(d), 403, "attestation/device-pending", d.id);

    // A wrong secret is refused and recorded; the right one (from the TPM) activates, once.
    problem(d.sendActivation(new byte[32]), 403, "enrolment/activation-failed", d.id);
    byte[] secret = d.activate(enrolled.getMap("activation.credential"));
    assertThat(secret).hasSize(32);
    d.sendActivation(secret).statusCode(200).body("status", equalTo("active"));
    d.sendActivation(secret)
        .statusCode(409)
        .body("type", equalTo("urn:arca:problem:enrolment/activation-not-pending"));
    List<JsonNode> audited = AuditLines.about("device:" + d.id);
    assertThat(AuditLines.kinds(audited)).contains("device.activated");
    assertThat(AuditLines.outcomes(audited)).contains("pending");

    // Active: a quote over PCRs 0-7 and 23 earns a grant and an EAR for the runtime key.
    JsonPath answer =
        attest(d)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .body("grants[0].modelId", equalTo("tpm-model"))
            .extract()
            .jsonPath();
    // The data key opens with this runtime's private key and the grant's binding only.
    String grantId = answer.getString("grants[0].grantId");
    WrappedKey wrapped =
        WrappedKey.decode(Base64.getDecoder().decode(answer.getString("grants[0].wrappedKey")));
    KeyReleaseInfo info =
        KeyReleaseInfo.of(
            grantId, "tpm-model", 1, HexFormat.of().parseHex(sealed.manifestDigest()));
    assertThat(KeyRelease.unwrap(wrapped, d.runtimeKeys, info).sameKeyAs(sealed.dataKey()))
        .isTrue();
    assertThatThrownBy(() -> KeyRelease.unwrap(wrapped, DevDevice.newRuntimeKey(), info))
        .isInstanceOf(HpkeException.class);
    JwtClaims claims = verifyEar(answer.getString("token"));
    assertThat(claims.getSubject()).isEqualTo(d.id);
    @SuppressWarnings("unchecked")
    Map<String, Object> tpm2 =
        (Map<String, Object>) claims.getClaimValue("submods", Map.class).get("tpm2");
    assertThat(tpm2.get("ear.status")).isEqualTo(answer.getString("status"));
    assertThat(tpm2.get("ear.appraisal-policy-id")).isEqualTo("service-test@1");
    @SuppressWarnings("unchecked")
    Map<String, Object> jwk =
        (Map<String, Object>) claims.getClaimValue("cnf", Map.class).get("jwk");
    assertThat(Base64.getUrlDecoder().decode((String) jwk.get("x")))
        .isEqualTo(d.runtimePublicKey());
    Refusals.recorded(answer.getLong("auditSequence"), "attestation.appraised", d.id, "permit");
  }

  @Test
  void pcr23NotMatchingTheReferenceValuesIsRefused() throws Exception {
    TpmDevice d = device("tpm-edge-wrong-refs");
    Map<String, List<String>> refs = new java.util.LinkedHashMap<>(d.referenceValues());
    refs.put("pcr.sha256.23", List.of("00".repeat(32)));
    references("tpm-wrong-refs", "tpm-wrong-box", refs);
    enrolAndActivate(d, "tpm-wrong-box");
    d.extendLog();
    problem(attest(d), 403, "attestation/reference-mismatch", d.id);
  }

  /** Attests {@code d} with a quote over {@code pcrs} and the measurement log {@code log}. */
  private static ValidatableResponse attest(TpmDevice d, List<Integer> pcrs, byte[] log)
      throws Exception {
    return given()
        .contentType(ContentType.JSON)
        .body(d.request(DevDevice.challenge(), List.of(model("tpm-model", "synthetic")), pcrs, log))
        .post("/v1/attestations")
        .then();
  }

  /** An enrolled, activated device whose class has its boot PCRs and PCR 23 pinned. */
  private TpmDevice pinnedDevice(String id) throws Exception {
    TpmDevice d = device(id);
    d.extendLog();
    references(id + "-refs", id + "-box", d.referenceValues());
    enrolAndActivate(d, id + "-box");
    return d;
  }

  @Test
  void aQuoteLeavingOutTheBootPcrsIsRefused() throws Exception {
    // A box booted from another medium quotes only what still matches: PCR 23.
    TpmDevice d = pinnedDevice("tpm-only-pcr23");
    problem(
        attest(d, List.of(TpmDevice.APP_PCR), d.measurementLog()),
        403,
        "attestation/evidence-incomplete",
        d.id);
    // Any one boot PCR left out is refused the same way, and the full quote still passes.
    problem(
        attest(d, List.of(0, 1, 2, 3, 5, 6, 7, TpmDevice.APP_PCR), d.measurementLog()),
        403,
        "attestation/evidence-incomplete",
        d.id);
    attest(d).statusCode(200);
  }

  @Test
  void aMeasurementLogThatDoesNotReplayToPcr23IsRefused() throws Exception {
    // The runtime extended its real log into PCR 23 but sends (and binds) a doctored one.
    TpmDevice d = pinnedDevice("tpm-doctored-log");
    byte[] doctored =
        (HexFormat.of().formatHex(new byte[32]) + " jar:arca-runtime.jar\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    problem(
        attest(d, TpmDevice.QUOTED, doctored), 403, "attestation/measurement-log-mismatch", d.id);
  }

  @Test
  void aTpmOutsideEveryReferenceSetIsRefused() throws Exception {
    TpmDevice d = device("tpm-unmeasured");
    d.extendLog();
    enrolAndActivate(d, "tpm-class-without-references");
    problem(attest(d), 403, "attestation/reference-missing", d.id);
  }

  @Test
  void movingADeviceOutOfItsReferenceSetByItsClassDoesNotEscapeAppraisal() throws Exception {
    TpmDevice d = pinnedDevice("tpm-reclassed");
    attest(d).statusCode(200);
    Api.as("device-admin")
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("class", "no-such-class")))
        .put("/v1/devices/" + d.id + "/attributes")
        .then()
        .statusCode(200);
    problem(attest(d), 403, "attestation/reference-missing", d.id);
  }

  @Test
  void referenceSetsThatLeaveBootPcrsUnpinnedAreRefused() throws Exception {
    TpmDevice d = device("tpm-pcr23-only-refs");
    d.extendLog();
    references(
        "tpm-pcr23-only-refs",
        "tpm-pcr23-only-box",
        Map.of("pcr.sha256.23", List.of(d.expectedAppPcr())));
    enrolAndActivate(d, "tpm-pcr23-only-box");
    problem(attest(d), 403, "attestation/reference-missing", d.id);
  }

  @Test
  void aQuoteBoundToAnotherRuntimeKeyIsRefused() throws Exception {
    TpmDevice d = device("tpm-edge-unbound");
    enrolAndActivate(d, "tpm-unbound-box");
    Map<String, Object> body =
        d.request(DevDevice.challenge(), List.of(model("tpm-model", "synthetic")));
    body.put(
        "runtimePublicKey",
        Base64.getEncoder().encodeToString(DevDevice.newRuntimeKey().publicKey().bytes()));
    problem(
        given().contentType(ContentType.JSON).body(body).post("/v1/attestations").then(),
        403,
        "attestation/report-data-unbound",
        d.id);
  }

  @Test
  void fiveWrongSecretsCloseTheActivation() throws Exception {
    TpmDevice d = device("tpm-guessed");
    Map<String, Object> credential =
        d.enrol(Map.of()).statusCode(201).extract().jsonPath().getMap("activation.credential");
    for (int i = 0; i < 5; i++) {
      byte[] guess = new byte[32];
      guess[0] = (byte) i;
      problem(d.sendActivation(guess), 403, "enrolment/activation-failed", d.id);
    }
    // Even the right secret is refused now: guessing cannot go on.
    problem(d.sendActivation(d.activate(credential)), 403, "enrolment/activation-expired", d.id);
  }

  @Test
  void anEkChainFromAnUnpinnedManufacturerIsRefused() throws Exception {
    try (Swtpm other = Swtpm.start()) {
      TpmDevice d =
          new TpmDevice("tpm-foreign", other, Files.createDirectory(state.resolve("foreign")));
      problem(d.enrol(Map.of()), 403, "enrolment/ek-untrusted", d.id);
      Api.as("device-admin").get("/v1/devices/" + d.id).then().statusCode(404);
    }
  }

  @Test
  void withNoPinnedRootNoTpmEnrols() throws Exception {
    TpmDevice d = device("tpm-no-roots");
    Path pinned;
    try (Stream<Path> s = Files.list(ROOTS)) {
      pinned = s.findFirst().orElseThrow();
    }
    Path aside = Files.move(pinned, state.resolve("aside.pem"));
    try {
      problem(d.enrol(Map.of()), 422, "enrolment/ek-roots-not-configured", d.id);
    } finally {
      Files.move(aside, pinned);
    }
    // With the root back, the same device enrols.
    d.enrol(Map.of()).statusCode(201).body("status", equalTo("pending"));
  }

  @Test
  void anActivationAfterItsDeadlineIsRefused() throws Exception {
    TpmDevice d = device("tpm-late");
    Map<String, Object> credential =
        d.enrol(Map.of()).statusCode(201).extract().jsonPath().getMap("activation.credential");
    byte[] secret = d.activate(credential);
    clock.advance(Duration.ofMinutes(11));
    try {
      problem(d.sendActivation(secret), 403, "enrolment/activation-expired", d.id);
    } finally {
      clock.reset();
    }

    // Enrolling the pending device again issues a fresh credential; the old secret is dead.
    Map<String, Object> renewed =
        d.enrol(Map.of())
            .statusCode(201)
            .body("status", equalTo("pending"))
            .extract()
            .jsonPath()
            .getMap("activation.credential");
    problem(d.sendActivation(secret), 403, "enrolment/activation-failed", d.id);
    d.sendActivation(d.activate(renewed)).statusCode(200).body("status", equalTo("active"));
    // An active device is never re-enrolled over.
    d.enrol(Map.of()).statusCode(409).body("type", equalTo("urn:arca:problem:conflict"));
  }

  @Test
  void anAkThatIsNotARestrictedSigningKeyIsRefused() throws Exception {
    TpmDevice d = device("tpm-bad-ak");
    Map<String, Object> req = new java.util.LinkedHashMap<>(d.enroller.request().toJson());
    req.put("akPublic", req.get("ekPublic")); // a decryption key, not a signing key
    problem(d.enrolWith(req, Map.of()), 422, "enrolment/ak-unsuitable", d.id);
  }

  private static JwtClaims verifyEar(String token) throws Exception {
    String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    return new JwtConsumerBuilder()
        .setVerificationKeyResolver(
            new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
        .setRequireExpirationTime()
        .setExpectedIssuer("arca-attestation-service")
        .setExpectedAudience("arca-applications")
        .setAllowedClockSkewInSeconds(5)
        .build()
        .processToClaims(token);
  }

  private static void deleteTree(Path dir) throws Exception {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
