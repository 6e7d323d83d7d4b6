// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The software attester for local use and demos: signs report data and measurements with an Ed25519
 * key held in process memory. It proves nothing about hardware — any process with the key can
 * produce this evidence — so verified {@code dev} claims say {@code hardwareRooted = false} and
 * default policies refuse it for sensitive data. Thread-safe.
 */
public final class DevAttester {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Ed25519PrivateKeyParameters key;

  private DevAttester(Ed25519PrivateKeyParameters key) {
    this.key = key;
  }

  /** A fresh key pair. */
  public static DevAttester generate() {
    return new DevAttester(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** An attester from a 32-byte Ed25519 private key (e.g. kept in the runtime's state). */
  public static DevAttester fromPrivateKey(byte[] privateKey) {
    return new DevAttester(new Ed25519PrivateKeyParameters(privateKey, 0));
  }

  /** The raw 32-byte Ed25519 public key: what a dev device enrols with. */
  public byte[] publicKey() {
    return key.generatePublicKey().getEncoded();
  }

  /** Produces evidence binding {@code reportData} and {@code measurements} (name to hex value). */
  public byte[] attest(byte[] reportData, Map<String, String> measurements, Instant createdAt) {
    return attest(reportData, measurements, createdAt, false);
  }

  /**
   * Produces evidence as {@link #attest(byte[], Map, Instant)}, saying whether the runtime runs in
   * debug mode (a debugger may read its memory): the software analogue of a debug enclave or guest,
   * which verifiers report as {@code debug} and the service refuses.
   */
  public byte[] attest(
      byte[] reportData, Map<String, String> measurements, Instant createdAt, boolean debug) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    ObjectNode payload = JSON.createObjectNode();
    payload.put("version", DevEvidence.VERSION);
    payload.put("publicKey", b64.encodeToString(publicKey()));
    payload.put("reportData", b64.encodeToString(reportData));
    ObjectNode m = payload.putObject("measurements");
    new TreeMap<>(measurements).forEach(m::put);
    payload.put("createdAt", createdAt.toString());
    if (debug) {
      payload.put("debug", true);
    }
    try {
      byte[] payloadBytes = JSON.writeValueAsBytes(payload);
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, key);
      byte[] signed = DevEvidence.signedBytes(payloadBytes);
      signer.update(signed, 0, signed.length);
      ObjectNode envelope = JSON.createObjectNode();
      envelope.put("payload", b64.encodeToString(payloadBytes));
      envelope.put("signature", b64.encodeToString(signer.generateSignature()));
      return JSON.writeValueAsBytes(envelope);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode dev evidence", e);
    }
  }

  @Override
  public String toString() {
    return "DevAttester[key hidden]";
  }
}
