// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import static io.restassured.RestAssured.given;

import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.usage.UsageKey;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated device runtime using the real {@code dev} attester: an Ed25519 attestation key, an
 * in-memory HPKE X25519 key pair, a measurement log, and the request it sends.
 */
public final class DevDevice {
  public final String id;
  public final DevAttester attester = DevAttester.generate();
  public final HpkePrivateKey runtimeKeys = newRuntimeKey();
  public final byte[] measurementLog;

  /** The usage-report key the runtime attests with its runtime key, or none. */
  public UsageKey usageKey;

  public Map<String, String> measurements = new LinkedHashMap<>(Map.of("runtime", "ab12cd34"));

  public DevDevice(String id) {
    this(id, "runtime.jar sha256=ab12\nconfig sha256=cd34\n".getBytes(StandardCharsets.UTF_8));
  }

  /** A device whose runtime sends {@code measurementLog}. */
  public DevDevice(String id, byte[] measurementLog) {
    this.id = id;
    this.measurementLog = measurementLog.clone();
  }

  public byte[] runtimePublicKey() {
    return runtimeKeys.publicKey().bytes();
  }

  /** Enrols this device through the API as {@code device-admin}. */
  public void enrol(Map<String, String> attributes) {
    sendEnrolment(attributes).statusCode(201);
  }

  /** Sends this device's enrolment as {@code device-admin}; the caller checks the answer. */
  public ValidatableResponse sendEnrolment(Map<String, String> attributes) {
    return Api.as("device-admin")
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                id,
                "format",
                "dev",
                "enrolment",
                Map.of("publicKey", b64(attester.publicKey())),
                "attributes",
                attributes))
        .post("/v1/devices")
        .then();
  }

  /** A fresh nonce from the service. */
  public static byte[] challenge() {
    String n = given().post("/v1/challenges").then().statusCode(200).extract().path("nonce");
    return Base64.getUrlDecoder().decode(n);
  }

  /** The attestation request body for {@code nonce}, binding this runtime's key and log. */
  public Map<String, Object> request(byte[] nonce, List<Map<String, Object>> models) {
    byte[] reportData =
        ReportData.ofLog(
            nonce,
            runtimePublicKey(),
            measurementLog,
            usageKey == null ? null : usageKey.publicKey());
    return request(nonce, attester.attest(reportData, measurements, Instant.now()), models);
  }

  public Map<String, Object> request(
      byte[] nonce, byte[] evidence, List<Map<String, Object>> models) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deviceId", id);
    body.put("format", "dev");
    body.put("evidence", b64(evidence));
    body.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    body.put("runtimePublicKey", b64(runtimePublicKey()));
    body.put("measurementLog", b64(measurementLog));
    body.put("models", new ArrayList<>(models));
    if (usageKey != null) {
      body.put("usageKey", b64(usageKey.publicKey()));
    }
    return body;
  }

  public static Map<String, Object> model(String id, String dataClass) {
    return Map.of("modelId", id, "dataClass", dataClass);
  }

  public static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** A fresh in-memory runtime key pair, as a runtime makes at boot. */
  public static HpkePrivateKey newRuntimeKey() {
    try {
      return HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, new SecureRandom());
    } catch (HpkeException e) {
      throw new IllegalStateException(e);
    }
  }
}
