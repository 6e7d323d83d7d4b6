// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.storage.Json;
import dev.arca.evidence.cose.EcKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Arm PSA devices enrol by their Initial Attestation Key ({@code {"iakPublicKey": base64 DER
 * SubjectPublicKeyInfo, "instanceIdHash": "sha-256"}}): a PSA token is not chain-rooted, so the
 * enrolled IAK is the only key the device's tokens verify with. The identity is the instance id
 * {@code PsaVerifier} reports, {@code 0x01 || H(IAK as an uncompressed point)} in hex, with {@code
 * instanceIdHash} (sha-256, the default, sha-384 or sha-512) as the device's platform computes it.
 * The implementation id and the software components are pinned by reference-value sets (format
 * {@code psa}; a component's measurement is named by its type, such as {@code BL}).
 */
@ApplicationScoped
public class PsaEnrolment implements DeviceEnrolment {

  @Override
  public String format() {
    return "psa";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    ECPublicKey iak = EnrolmentFields.ecKey(request, "iakPublicKey");
    String hash = EnrolmentFields.text(request, "instanceIdHash");
    String jca =
        switch (hash == null ? "sha-256" : hash) {
          case "sha-256" -> "SHA-256";
          case "sha-384" -> "SHA-384";
          case "sha-512" -> "SHA-512";
          default ->
              throw new ProblemException(
                  ProblemType.INVALID_REQUEST,
                  "enrolment.instanceIdHash must be sha-256, sha-384 or sha-512");
        };
    byte[] digest;
    try {
      digest = MessageDigest.getInstance(jca).digest(EcKeys.uncompressedPoint(iak));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is missing", e);
    }
    byte[] instanceId = new byte[digest.length + 1];
    instanceId[0] = 0x01;
    System.arraycopy(digest, 0, instanceId, 1, digest.length);
    String identity = HexFormat.of().formatHex(instanceId);
    return new EnrolledIdentity(
        identity,
        Json.MAPPER
            .createObjectNode()
            .put("iakPublicKey", Base64Field.encode(iak.getEncoded()))
            .put("instanceId", identity));
  }
}
