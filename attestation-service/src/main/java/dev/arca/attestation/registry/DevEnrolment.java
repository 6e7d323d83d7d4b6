// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.storage.Json;
import dev.arca.evidence.dev.DevVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.InvalidKeyException;
import java.time.Instant;

/** {@code dev} devices enrol with their raw Ed25519 public key: {@code {"publicKey": b64}}. */
@ApplicationScoped
public class DevEnrolment implements DeviceEnrolment {

  @Override
  public String format() {
    return "dev";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    byte[] pk = Base64Field.decode("enrolment.publicKey", text(request, "publicKey"));
    try {
      DevVerifier.publicKey(pk);
    } catch (InvalidKeyException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "enrolment.publicKey must be a 32-byte Ed25519 key");
    }
    return new EnrolledIdentity(
        DevVerifier.deviceIdentity(pk),
        Json.MAPPER.createObjectNode().put("publicKey", Base64Field.encode(pk)));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
