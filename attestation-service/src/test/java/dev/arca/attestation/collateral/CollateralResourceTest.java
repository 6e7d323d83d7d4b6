// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import dev.arca.attestation.testing.TestCollateral;
import dev.arca.evidence.Claims;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.sevsnp.SevSnpVerifier;
import dev.arca.evidence.sevsnp.VcekKey;
import dev.arca.evidence.tdx.TdxCollateralKey;
import dev.arca.evidence.tdx.TdxVerifier;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The collateral store through its API with the real AMD and Intel collateral of the shared vectors
 * (evidence/src/test/resources/vectors): import, idempotence, superseding, roles, refusals, what
 * appraisal gets for the real report and quote (and that their verifiers accept it), and expiry in
 * health and metrics (the vectors' Intel collateral expired in 2023).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class CollateralResourceTest {
  private static final Path VECTORS =
      Path.of("..", "evidence", "src", "test", "resources", "vectors");
  private static final List<String> TDX_FILES =
      List.of(
          "sample_tcbInfo_response",
          "sample_qeIdentity_response",
          "pckcrl",
          "rootcrl.der",
          "tcbinfo_issuer_chain.pem",
          "qeidentity_issuer_chain.pem",
          "pckcrl_issuer_chain.pem");

  @Inject CollateralStore store;
  @Inject Database db;

  private static byte[] vector(String format, String name) {
    try {
      return Files.readAllBytes(VECTORS.resolve(format).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ValidatableResponse upload(
      String user, String format, String name, byte[] content) {
    return TestCollateral.post(user, format, name, content);
  }

  /** Uploads a file that earlier tests of the run may have stored already. */
  private static JsonPath stored(String format, String name, byte[] content) {
    ValidatableResponse r = upload("device-admin", format, name, content);
    int status = r.extract().statusCode();
    assertThat(status).as(name + ": " + r.extract().asString()).isIn(200, 201);
    return r.extract().jsonPath();
  }

  private static void importTdx() {
    for (String name : TDX_FILES) {
      stored("tdx", name, vector("tdx", name));
    }
  }

  @Test
  void theRealSevSnpCollateralIsServedForItsReportAndVerifies() throws Exception {
    byte[] vcek = vector("sev-snp", "vcek_milan.der");
    JsonPath item = stored("sev-snp", "vcek_milan.der", vcek);
    assertThat(item.getString("kind")).isEqualTo("vcek");
    assertThat(item.getString("key")).matches("[0-9a-f]{128}/[0-9a-f]{16}");
    assertThat(item.getString("notAfter")).isEqualTo("2029-09-24T00:55:28Z");
    assertThat(item.getString("importedBy")).isEqualTo("user:device-admin");
    assertThat(
            stored("sev-snp", "ask_ark_milan.pem", vector("sev-snp", "ask_ark_milan.pem"))
                .getString("key"))
        .isEqualTo("milan");

    byte[] report = vector("sev-snp", "attestation.bin");
    Map<String, byte[]> collateral = store.forEvidence("sev-snp", report);
    assertThat(collateral).containsKeys("vcek.der", "cert_chain.pem");
    assertThat(collateral.get("vcek.der")).isEqualTo(vcek);

    VerificationContext.Builder context =
        VerificationContext.expectingNonce(
            Instant.parse("2024-01-01T00:00:00Z"), new byte[] {1, 2, 3, 4, 5});
    collateral.forEach(context::collateral);
    Claims claims = new SevSnpVerifier().verify(report, context.build());
    assertThat(claims.hardwareRooted()).isTrue();
    assertThat(claims.deviceIdentity())
        .isEqualTo("sev-snp:" + item.getString("key").substring(0, 128));

    // Another chip's report (CHIP_ID at 0x1A0 changed) gets no VCEK: never another chip's.
    byte[] other = report.clone();
    other[0x1A0] ^= 1;
    assertThat(store.forEvidence("sev-snp", other)).isEmpty();
    assertThat(store.forEvidence("sev-snp", new byte[12])).isEmpty();
    assertThat(store.forEvidence("nitro", report)).isEmpty();
  }

  @Test
  void aTcbBaselineIsFiledByItsProductAndServedWithTheVcekOfThatProduct() throws Exception {
    byte[] baseline = TestCollateral.milanTcbBaseline();
    JsonPath item = stored("sev-snp", "snp_tcb_baseline.json", baseline);
    assertThat(item.getString("format")).isEqualTo("sev-snp");
    assertThat(item.getString("kind")).isEqualTo("tcb-baseline");
    assertThat(item.getString("key")).isEqualTo("milan");
    assertThat(item.getString("notAfter")).isEqualTo("2036-01-01T00:00:00Z");
    String genoa =
        new String(baseline, java.nio.charset.StandardCharsets.UTF_8).replace("Milan", "Genoa");
    JsonPath other =
        stored(
            "sev-snp",
            "snp_tcb_baseline_genoa.json",
            genoa.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(other.getString("key")).isEqualTo("genoa");
    List<Map<String, Object>> listed =
        Api.as("auditor")
            .get("/v1/collateral")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("findAll { it.kind == 'tcb-baseline' }");
    assertThat(listed)
        .anySatisfy(
            i ->
                assertThat(i)
                    .containsEntry("key", "milan")
                    .containsEntry("notAfter", "2036-01-01T00:00:00Z")
                    .containsEntry("superseded", false))
        .anySatisfy(i -> assertThat(i).containsEntry("key", "genoa"));

    // The real Milan report gets the Milan baseline beside its VCEK, and meets it.
    stored("sev-snp", "vcek_milan.der", vector("sev-snp", "vcek_milan.der"));
    byte[] report = vector("sev-snp", "attestation.bin");
    Map<String, byte[]> collateral = store.forEvidence("sev-snp", report);
    assertThat(collateral.get("snp_tcb_baseline.json")).isEqualTo(baseline);
    VerificationContext.Builder context =
        VerificationContext.insecureWithoutBinding(Instant.parse("2026-06-01T00:00:00Z"));
    collateral.forEach(context::collateral);
    Claims claims = new SevSnpVerifier().verify(report, context.build());
    assertThat(claims.tcb())
        .containsEntry("tcbStatus", "UpToDate")
        .containsEntry("tcbBaseline", "TCB of the test reports");
  }

  @Test
  void aMalformedTcbBaselineIsABadRequestNamingWhatIsWrong() {
    String ok =
        new String(TestCollateral.milanTcbBaseline(), java.nio.charset.StandardCharsets.UTF_8);
    upload(
            "device-admin",
            "sev-snp",
            "snp_tcb_baseline.json",
            ok.replace("\"product\":\"Milan\"", "\"product\":\"Milan\",\"extra\":1")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:collateral-invalid"))
        .body("detail", containsString("'snp_tcb_baseline.json' is not a readable tcb-baseline"))
        .body("detail", containsString("sevsnp.tcb-baseline.malformed"))
        .body("detail", containsString("unknown member 'extra'"));
    upload(
            "device-admin",
            "sev-snp",
            "snp_tcb_baseline.json",
            ok.replace("\"snp\":5,", "").getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:collateral-invalid"))
        .body("detail", containsString("minimumTcb lacks 'snp'"));
    upload(
            "device-admin",
            "sev-snp",
            "snp_tcb_baseline.json",
            "not json".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("detail", containsString("not valid JSON"));
  }

  @Test
  void theRealTdxCollateralIsServedForItsQuoteAndVerifies() throws Exception {
    importTdx();
    byte[] quote = vector("tdx", "tdx_prod_quote_SPR_E4.dat");
    Map<String, byte[]> collateral = store.forEvidence("tdx", quote);
    assertThat(collateral)
        .containsOnlyKeys(
            "tcbinfo.json",
            "qeidentity.json",
            "pckcrl",
            "rootcrl.der",
            "tcbinfo_issuer_chain.pem",
            "qeidentity_issuer_chain.pem",
            "pckcrl_issuer_chain.pem");
    assertThat(TdxCollateralKey.fmspcOfTcbInfo(collateral.get("tcbinfo.json")))
        .isEqualTo("50806f000000");
    assertThat(collateral.get("tcbinfo.json")).isEqualTo(vector("tdx", "sample_tcbInfo_response"));

    VerificationContext.Builder context =
        VerificationContext.insecureWithoutBinding(Instant.parse("2023-07-01T00:00:00Z"));
    collateral.forEach(context::collateral);
    Claims claims = new TdxVerifier().verify(quote, context.build());
    assertThat(claims.format()).isEqualTo("tdx");
    assertThat(
            store.forEvidence(
                "tdx", "not a quote".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEmpty();
  }

  @Test
  void reImportingTheSameContentChangesNothing() throws Exception {
    byte[] pckCrl = vector("tdx", "pckcrl");
    JsonPath first = stored("tdx", "pckcrl", pckCrl);
    JsonPath again =
        upload("device-admin", "tdx", "pckcrl.der", pckCrl).statusCode(200).extract().jsonPath();
    assertThat(again.getBoolean("alreadyPresent")).isTrue();
    assertThat(again.getLong("id")).isEqualTo(first.getLong("id"));
    assertThat(again.getString("key"))
        .isEqualTo(TdxCollateralKey.pckIssuerOfQuote(vector("tdx", "tdx_prod_quote_SPR_E4.dat")));
    List<Map<String, Object>> items =
        Api.as("auditor")
            .get("/v1/collateral")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    assertThat(items.stream().filter(i -> first.getString("sha256").equals(i.get("sha256"))))
        .hasSize(1);
  }

  @Test
  void theNewestIssuedItemOfAKeyIsCurrentWhateverTheOrderOfUpload() throws Exception {
    String issuer = "CN=ARK-Genoa-" + System.nanoTime() + ", O=Supersede Test";
    byte[] older = crl(issuer, "2024-01-01T00:00:00Z");
    byte[] newer = crl(issuer, "2024-03-01T00:00:00Z");
    byte[] oldest = crl(issuer, "2023-11-01T00:00:00Z");
    long olderId =
        upload("device-admin", "sev-snp", "genoa.crl", older)
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("id");
    JsonPath n =
        upload("device-admin", "sev-snp", "crl", newer).statusCode(201).extract().jsonPath();
    assertThat(n.getBoolean("superseded")).isFalse();
    assertThat(n.getString("key")).isEqualTo("genoa");
    // An older list uploaded later does not roll the current one back.
    JsonPath o =
        upload("device-admin", "sev-snp", "old.crl", oldest).statusCode(201).extract().jsonPath();
    assertThat(o.getBoolean("superseded")).isTrue();

    List<Map<String, Object>> items =
        Api.as("device-admin")
            .get("/v1/collateral")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    Map<Object, Object> superseded = new java.util.HashMap<>();
    for (Map<String, Object> i : items) {
      superseded.put(((Number) i.get("id")).longValue(), i.get("superseded"));
    }
    assertThat(superseded)
        .containsEntry(olderId, true)
        .containsEntry(n.getLong("id"), false)
        .containsEntry(o.getLong("id"), true);
    assertThat(items)
        .allSatisfy(
            i ->
                assertThat(i)
                    .containsKeys(
                        "id",
                        "format",
                        "kind",
                        "key",
                        "sha256",
                        "importedAt",
                        "notAfter",
                        "expired",
                        "superseded"));
  }

  @Test
  void onlyDeviceAdminsImportAndAuditorsRead() {
    byte[] vcek = vector("sev-snp", "vcek_milan.der");
    upload("auditor", "sev-snp", "vcek.der", vcek).statusCode(403).contentType(Problem.MEDIA_TYPE);
    upload("model-publisher", "sev-snp", "vcek.der", vcek).statusCode(403);
    upload("policy-admin", "sev-snp", "vcek.der", vcek).statusCode(403);
    given()
        .contentType("application/json")
        .body("{}")
        .post("/v1/collateral")
        .then()
        .statusCode(401);
    Api.as("auditor").get("/v1/collateral").then().statusCode(200);
    Api.as("model-publisher").get("/v1/collateral").then().statusCode(403);
    given().get("/v1/collateral").then().statusCode(401);
  }

  @Test
  void whatIsNotCollateralIsABadRequestNamingWhatIsAccepted() {
    upload("device-admin", "sev-snp", "notes.txt", new byte[] {1, 2, 3})
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:collateral-invalid"))
        .body("detail", containsString("accepted: sev-snp: vcek*.der|pem"))
        .body("accepted", containsString("tcbinfo_issuer_chain.pem"))
        .body("accepted", containsString("snp_tcb_baseline*.json"));
    upload(
            "device-admin",
            "sev-snp",
            "vcek.der",
            "garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:collateral-invalid"))
        .body("detail", containsString("'vcek.der' is not a readable vcek"));
    // The ASK/ARK chain is no VCEK (no hwID), and a TCB info is no QE identity.
    upload("device-admin", "sev-snp", "vcek.pem", vector("sev-snp", "ask_ark_milan.pem"))
        .statusCode(400)
        .body("detail", containsString("no hwID"));
    upload("device-admin", "tdx", "qeidentity.json", vector("tdx", "sample_tcbInfo_response"))
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:collateral-invalid"));
    upload("device-admin", "nitro", "vcek.der", vector("sev-snp", "vcek_milan.der"))
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:unknown-format"));
    upload("device-admin", "sev-snp", "../vcek.der", vector("sev-snp", "vcek_milan.der"))
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:invalid-request"));
    Api.as("device-admin")
        .contentType("application/json")
        .body(Map.of("format", "tdx", "name", "pckcrl", "content", "not base64!"))
        .post("/v1/collateral")
        .then()
        .statusCode(400)
        .body("type", equalTo("urn:arca:problem:bad-base64"));
  }

  @Test
  void expiredCollateralIsListedInHealthAndMetricsWhileTheServiceStaysUp() {
    importTdx();
    JsonPath health = given().get("/q/health").then().statusCode(200).extract().jsonPath();
    assertThat(health.getString("status")).isEqualTo("UP");
    Map<String, Object> check = health.getMap("checks.find { it.name == 'collateral' }");
    assertThat(check).containsEntry("status", "UP");
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) check.get("data");
    assertThat(((Number) data.get("expired")).intValue())
        .isGreaterThanOrEqualTo(TDX_FILES.size() - 2);
    assertThat((String) data.get("expiredItems"))
        .contains("tdx tcb-info 50806f000000 (not after 2023-07-18T08:42:58Z)")
        .contains("tdx qe-identity TD_QE (not after 2023-07-08T07:24:59Z)")
        .contains(
            "tdx pck-crl c=us,st=ca,l=santa clara,o=intel corporation,cn=intel sgx pck platform ca");

    String metrics =
        Api.as("auditor").get("/q/metrics").then().statusCode(200).extract().asString();
    String line =
        metrics
            .lines()
            .filter(l -> l.startsWith("arca_collateral_expired"))
            .findFirst()
            .orElseThrow();
    assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .isGreaterThanOrEqualTo(5);
    assertThat(metrics).contains("arca_collateral_expiring");
  }

  @Test
  void aRowChangedOutsideTheServiceIsRefusedNotServed() throws Exception {
    stored("sev-snp", "vcek_milan.der", vector("sev-snp", "vcek_milan.der"));
    stored("sev-snp", "ask_ark_milan.pem", vector("sev-snp", "ask_ark_milan.pem"));
    byte[] report = vector("sev-snp", "attestation.bin");
    long chain =
        Sql.number(
            db,
            "SELECT min(id) FROM collateral WHERE format = 'sev-snp' AND kind = 'ask-ark'"
                + " AND selection_key = 'milan'");
    // A database writer files the ASK/ARK chain as this chip's newest VCEK.
    Sql.update(
        db,
        "UPDATE collateral SET kind = 'vcek', selection_key = ?,"
            + " issued_at = issued_at + interval '100 years' WHERE id = ?",
        VcekKey.ofReport(report).toString(),
        chain);
    try {
      assertThatThrownBy(() -> store.forEvidence("sev-snp", report))
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> assertThat(e.type()).isEqualTo(ProblemType.STATE_TAMPERED));
      Api.as("auditor")
          .get("/v1/collateral")
          .then()
          .statusCode(500)
          .contentType(Problem.MEDIA_TYPE)
          .body("type", equalTo("urn:arca:problem:state-tampered"));
      JsonPath health = given().get("/q/health").then().statusCode(200).extract().jsonPath();
      assertThat(health.getString("checks.find { it.name == 'collateral' }.status"))
          .isEqualTo("UP");
      assertThat(health.getString("checks.find { it.name == 'collateral' }.data.error"))
          .contains("integrity check");
    } finally {
      Sql.update(
          db,
          "UPDATE collateral SET kind = 'ask-ark', selection_key = 'milan',"
              + " issued_at = issued_at - interval '100 years' WHERE id = ?",
          chain);
    }
    assertThat(store.forEvidence("sev-snp", report)).containsKey("vcek.der");
  }

  /**
   * A CRL of {@code issuer} (no AMD key: the store reads dates, the verifier checks signatures).
   */
  private static byte[] crl(String issuer, String thisUpdate) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair key = g.generateKeyPair();
    Instant at = Instant.parse(thisUpdate);
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(issuer), Date.from(at));
    b.setNextUpdate(Date.from(at.plusSeconds(86400 * 30)));
    b.addCRLEntry(BigInteger.TEN, Date.from(at), 1);
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
        .getEncoded();
  }
}
