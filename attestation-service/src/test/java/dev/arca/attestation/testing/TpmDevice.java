// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.crypto.Sha256;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.devstack.Swtpm;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.tpm2.Tpm2Bundle;
import dev.arca.tpm.DeviceKeys;
import dev.arca.tpm.TpmEnroller;
import dev.arca.tpm.TpmQuote;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated device runtime on a real software TPM: its EK and an AK made under it ({@link
 * DeviceKeys}, the AK's blobs in a private state folder), enrolment through {@link TpmEnroller},
 * the measurement log extended into PCR 23 after a reset (as the runtime's {@code
 * Tpm2RuntimeAttester} does), quotes bound to the report data, and an in-memory HPKE key.
 */
public final class TpmDevice {
  /** The application PCR, as in the runtime. */
  public static final int APP_PCR = 23;

  /** The PCRs the runtime quotes: 0-7 and 23. */
  public static final List<Integer> QUOTED = List.of(0, 1, 2, 3, 4, 5, 6, 7, APP_PCR);

  public final String id;
  public final Swtpm tpm;
  public final DeviceKeys keys;
  public final TpmEnroller enroller;
  public final HpkePrivateKey runtimeKeys = DevDevice.newRuntimeKey();
  private final List<byte[]> entries = new ArrayList<>();
  private final StringBuilder logText = new StringBuilder();

  /**
   * @param state a fresh folder for this device's AK blobs (one device per AK; several devices may
   *     share one TPM and its EK)
   */
  public TpmDevice(String id, Swtpm tpm, Path state) throws IOException {
    this.id = id;
    this.tpm = tpm;
    this.keys = DeviceKeys.open(tpm.tools(), state);
    this.enroller = new TpmEnroller(keys, tpm.ekIntermediates());
    measure("jar:arca-runtime.jar", "runtime " + id);
    measure("config", "service=http://localhost\n");
  }

  private void measure(String name, String content) {
    byte[] d = Sha256.hash(content.getBytes(StandardCharsets.UTF_8));
    entries.add(d);
    logText.append(HexFormat.of().formatHex(d)).append(' ').append(name).append('\n');
  }

  /** The measurement log as the runtime sends it. */
  public byte[] measurementLog() {
    return logText.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** PCR 23 after {@link #extendLog()}: the log's entries replayed from zero, hex. */
  public String expectedAppPcr() {
    byte[] pcr = new byte[32];
    for (byte[] e : entries) {
      byte[] both = new byte[64];
      System.arraycopy(pcr, 0, both, 0, 32);
      System.arraycopy(e, 0, both, 32, 32);
      pcr = Sha256.hash(both);
    }
    return HexFormat.of().formatHex(pcr);
  }

  /** Resets PCR 23 and extends this device's log into it, as the runtime does at boot. */
  public void extendLog() throws IOException {
    tpm.tools().pcrReset(APP_PCR);
    for (byte[] e : entries) {
      tpm.tools().pcrExtend(APP_PCR, "sha256", e);
    }
  }

  public byte[] runtimePublicKey() {
    return runtimeKeys.publicKey().bytes();
  }

  /** POSTs the enrolment request as {@code device-admin}; the caller checks the answer. */
  public ValidatableResponse enrol(Map<String, String> attributes) throws IOException {
    return enrolWith(enroller.request().toJson(), attributes);
  }

  /** POSTs an enrolment with an explicit {@code enrolment} object. */
  public ValidatableResponse enrolWith(Map<String, Object> enrolment, Map<String, String> attrs) {
    return Api.as("device-admin")
        .contentType(ContentType.JSON)
        .body(Map.of("id", id, "format", "tpm2", "enrolment", enrolment, "attributes", attrs))
        .post("/v1/devices")
        .then();
  }

  /** Opens the enrolment answer's credential in the TPM (TPM2_ActivateCredential). */
  public byte[] activate(Map<String, Object> credential) throws IOException {
    return enroller.activate(
        Base64.getDecoder().decode((String) credential.get("idObject")),
        Base64.getDecoder().decode((String) credential.get("encryptedSecret")));
  }

  /** POSTs the activated secret (no token: the secret is the proof). */
  public ValidatableResponse sendActivation(byte[] secret) {
    return io.restassured.RestAssured.given()
        .contentType(ContentType.JSON)
        .body(Map.of("secret", Base64.getEncoder().encodeToString(secret)))
        .post("/v1/devices/" + id + "/activation")
        .then();
  }

  /**
   * The reference values a security team pins for a box like this one: the TPM's boot PCRs 0-7 as
   * they are now (SHA-256 bank), plus PCR 23 as this device's log replays to, by register name.
   */
  public Map<String, List<String>> referenceValues() throws IOException {
    Map<String, List<String>> refs = new LinkedHashMap<>();
    tpm.tools()
        .pcrRead("sha256", QUOTED.subList(0, 8))
        .forEach((pcr, v) -> refs.put("pcr.sha256." + pcr, List.of(HexFormat.of().formatHex(v))));
    refs.put("pcr.sha256." + APP_PCR, List.of(expectedAppPcr()));
    return refs;
  }

  /** The attestation request body: a quote over PCRs 0-7 and 23 binding the report data. */
  public Map<String, Object> request(byte[] nonce, List<Map<String, Object>> models)
      throws IOException {
    return request(nonce, models, QUOTED, measurementLog());
  }

  /**
   * The attestation request body with a quote over {@code pcrs} (an attacker's choice) and the
   * given measurement log, both bound into the report data.
   */
  public Map<String, Object> request(
      byte[] nonce, List<Map<String, Object>> models, List<Integer> pcrs, byte[] log)
      throws IOException {
    byte[] reportData = ReportData.ofLog(nonce, runtimePublicKey(), log);
    TpmQuote q = tpm.tools().quote(keys.ak(), reportData, "sha256", pcrs, "sha256");
    byte[] evidence =
        new Tpm2Bundle(
                q.attest(),
                q.signature(),
                q.akPublic(),
                Map.of("sha256", q.pcrs()),
                null,
                null,
                List.of())
            .toJson();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deviceId", id);
    body.put("format", "tpm2");
    body.put("evidence", Base64.getEncoder().encodeToString(evidence));
    body.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    body.put("runtimePublicKey", Base64.getEncoder().encodeToString(runtimePublicKey()));
    body.put("measurementLog", Base64.getEncoder().encodeToString(log));
    body.put("models", new ArrayList<>(models));
    return body;
  }

  /**
   * Pins {@code tpm}'s boot PCRs 0-7 as they are now for devices of {@code deviceClass}, as {@code
   * policy-admin}: the reference set a TPM device needs before it can be appraised at all.
   */
  public static void pinBootPcrs(Swtpm tpm, String name, String deviceClass) throws IOException {
    Map<String, List<String>> boot = new LinkedHashMap<>();
    tpm.tools()
        .pcrRead("sha256", QUOTED.subList(0, 8))
        .forEach((pcr, v) -> boot.put("pcr.sha256." + pcr, List.of(HexFormat.of().formatHex(v))));
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(Map.of("format", "tpm2", "subject", "class:" + deviceClass, "measurements", boot))
        .post("/v1/reference-values/" + name)
        .then()
        .statusCode(201);
  }

  /** Copies {@code tpm}'s swtpm-localca root into {@code roots} as a pinned EK root. */
  public static Path pinRoot(Swtpm tpm, Path roots) throws IOException {
    Files.createDirectories(roots);
    Path pinned = roots.resolve("swtpm-localca-" + tpm.port() + ".pem");
    Files.copy(tpm.localCaCertificate(), pinned);
    return pinned;
  }
}
