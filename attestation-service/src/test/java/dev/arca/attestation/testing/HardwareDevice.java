// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.evidence.ReportData;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device of a hardware format whose evidence a test builds itself (test-signed) or takes from a
 * captured vector: its runtime key and measurement log, its enrolment and its attestation request.
 */
public final class HardwareDevice {
  public final String id;
  public final String format;
  public final HpkePrivateKey runtimeKeys = DevDevice.newRuntimeKey();
  public final byte[] measurementLog =
      "runtime.jar sha256=ab12\nconfig sha256=cd34\n".getBytes(StandardCharsets.UTF_8);

  /**
   * This device's own loopback source address ({@link FromAddress}): its challenges and
   * attestations count against per-address rate limits of their own, not the shared {@code
   * 127.0.0.1}'s, however many device flows a run packs into a minute.
   */
  private final String address;

  public HardwareDevice(String id, String format) {
    this.id = id;
    this.format = format;
    this.address = "127.0.2." + (Math.floorMod(id.hashCode(), 250) + 2);
  }

  /** A fresh nonce from the service, asked from this device's address. */
  public byte[] challenge() {
    String n =
        FromAddress.of(address)
            .post("/v1/challenges")
            .then()
            .statusCode(200)
            .extract()
            .path("nonce");
    return Base64.getUrlDecoder().decode(n);
  }

  /** Sends this device's enrolment as {@code device-admin}; the caller checks the answer. */
  public ValidatableResponse enrol(Map<String, ?> enrolment, Map<String, String> attributes) {
    return Api.as("device-admin")
        .contentType(ContentType.JSON)
        .body(Map.of("id", id, "format", format, "enrolment", enrolment, "attributes", attributes))
        .post("/v1/devices")
        .then();
  }

  /** The report data this device's evidence must bind for {@code nonce}. */
  public byte[] reportData(byte[] nonce) {
    return ReportData.ofLog(nonce, runtimeKeys.publicKey().bytes(), measurementLog);
  }

  /** Sends {@code evidence} of {@code evidenceFormat} for {@code nonce}, asking for models. */
  public ValidatableResponse attest(
      String evidenceFormat, byte[] nonce, byte[] evidence, List<Map<String, Object>> models) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deviceId", id);
    body.put("format", evidenceFormat);
    body.put("evidence", DevDevice.b64(evidence));
    body.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    body.put("runtimePublicKey", DevDevice.b64(runtimeKeys.publicKey().bytes()));
    body.put("measurementLog", DevDevice.b64(measurementLog));
    body.put("models", new ArrayList<>(models));
    return FromAddress.of(address)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/attestations")
        .then();
  }

  /** Pins {@code measurements} of this device's format for this device, as {@code policy-admin}. */
  public void references(String name, Map<String, List<String>> measurements) {
    Api.as("policy-admin")
        .contentType(ContentType.JSON)
        .body(Map.of("format", format, "subject", "device:" + id, "measurements", measurements))
        .post("/v1/reference-values/" + name)
        .then()
        .statusCode(201);
  }
}
