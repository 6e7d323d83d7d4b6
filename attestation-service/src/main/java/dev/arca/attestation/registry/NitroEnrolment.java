// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * AWS Nitro Enclaves devices enrol by their enclave's {@code module_id} ({@code {"moduleId":
 * "i-0123...-enc0123..."}}), which {@code NitroVerifier} reports as the device identity. Nothing
 * else is pinned per device: documents must chain to the AWS Nitro Enclaves root the verifier pins,
 * and what the enclave runs (PCR0-2 of the image, PCR8 of its signing certificate, PCR4 of the
 * parent instance) is pinned by reference-value sets ({@code POST /v1/reference-values}, format
 * {@code nitro}), which the appraisal requires for PCR0-2.
 */
@ApplicationScoped
public class NitroEnrolment implements DeviceEnrolment {
  /** An AWS module id: instance id, "-enc", enclave id; letters, digits, '-', '.', '_'. */
  private static final Pattern MODULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  @Override
  public String format() {
    return "nitro";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    String moduleId = EnrolmentFields.text(request, "moduleId");
    if (moduleId == null || !MODULE_ID.matcher(moduleId).matches()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "enrolment.moduleId must be the enclave's module_id (such as"
              + " i-0123456789abcdef0-enc0123456789abcdef), at most 128 letters, digits, '.', '_'"
              + " or '-'");
    }
    return new EnrolledIdentity(moduleId, Json.MAPPER.createObjectNode().put("moduleId", moduleId));
  }
}
