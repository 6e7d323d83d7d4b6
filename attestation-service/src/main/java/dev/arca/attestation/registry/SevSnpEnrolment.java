// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HexFormat;

/**
 * AMD SEV-SNP machines enrol by their chip id ({@code {"chipId": 128 hex digits}}), the CHIP_ID a
 * report carries and its VCEK's hwID extension certifies; {@code SevSnpVerifier} reports the
 * identity {@code sev-snp:<chip id>}. Reports must chain through the VCEK to an AMD root the
 * verifier pins; the VCEK itself is collateral ({@code POST /v1/collateral}), looked up by chip and
 * TCB at each appraisal. What the guest runs (the launch {@code measurement}, which the appraisal
 * requires a reference-value set to pin, and {@code host_data}) is pinned by reference-value sets
 * (format {@code sev-snp}); debug guests are refused by the appraisal.
 */
@ApplicationScoped
public class SevSnpEnrolment implements DeviceEnrolment {
  /** CHIP_ID is 64 bytes. */
  private static final int CHIP_ID_BYTES = 64;

  @Override
  public String format() {
    return "sev-snp";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    byte[] chipId = EnrolmentFields.hex(request, "chipId", CHIP_ID_BYTES, CHIP_ID_BYTES);
    if (allZero(chipId)) {
      throw new dev.arca.attestation.api.ProblemException(
          dev.arca.attestation.api.ProblemType.INVALID_REQUEST,
          "enrolment.chipId is all zeros: that is what a report that masks its chip id carries,"
              + " which names no machine; enrol the CHIP_ID of a report with MASK_CHIP_ID off");
    }
    String hex = HexFormat.of().formatHex(chipId);
    return new EnrolledIdentity(
        "sev-snp:" + hex, Json.MAPPER.createObjectNode().put("chipId", hex));
  }

  private static boolean allZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }
}
