// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Arm CCA platforms enrol by their platform attestation key and platform instance id ({@code
 * {"platformPublicKey": base64 DER SubjectPublicKeyInfo, "instanceId": hex}}): a CCA platform token
 * is not chain-rooted and its instance id is not a hash of the key, so both are pinned. The
 * identity is the instance id in lowercase hex, as {@code CcaVerifier} reports it. What runs in the
 * realm (the realm initial measurement {@code rim}, which the appraisal requires a reference-value
 * set to pin, and the {@code personalization} value) and the platform's software components ({@code
 * platform.<type>}) are pinned by reference-value sets (format {@code cca}).
 */
@ApplicationScoped
public class CcaEnrolment implements DeviceEnrolment {
  /** Instance ids are 33 bytes (a type byte and a 32-byte id) in practice; up to 65 accepted. */
  private static final int MAX_INSTANCE_ID = 65;

  @Override
  public String format() {
    return "cca";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    ECPublicKey key = EnrolmentFields.ecKey(request, "platformPublicKey");
    byte[] instanceId = EnrolmentFields.hex(request, "instanceId", 1, MAX_INSTANCE_ID);
    String identity = HexFormat.of().formatHex(instanceId);
    return new EnrolledIdentity(
        identity,
        Json.MAPPER
            .createObjectNode()
            .put("platformPublicKey", Base64Field.encode(key.getEncoded()))
            .put("instanceId", identity));
  }
}
