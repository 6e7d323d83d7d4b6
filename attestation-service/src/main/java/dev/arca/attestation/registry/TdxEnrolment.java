// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.storage.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Intel TDX platforms enrol by their platform provisioning id ({@code {"ppid": 32 hex digits}}),
 * the PPID in the SGX extensions of the PCK certificate that certifies the quoting enclave; {@code
 * TdxVerifier} reports the identity {@code tdx:ppid:<ppid>}. Quotes must chain through the PCK to
 * the Intel SGX root the verifier pins, with Intel's TCB info, QE identity and CRLs as collateral
 * ({@code POST /v1/collateral}). What the TD runs ({@code mrtd}, which the appraisal requires a
 * reference-value set to pin, and {@code rtmr0..3}, {@code mrconfigid}, {@code mrowner}) is pinned
 * by reference-value sets (format {@code tdx}); debug TDs are refused by the appraisal.
 */
@ApplicationScoped
public class TdxEnrolment implements DeviceEnrolment {
  /** A PPID is 16 bytes. */
  private static final int PPID_BYTES = 16;

  @Override
  public String format() {
    return "tdx";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    String hex =
        HexFormat.of().formatHex(EnrolmentFields.hex(request, "ppid", PPID_BYTES, PPID_BYTES));
    return new EnrolledIdentity("tdx:ppid:" + hex, Json.MAPPER.createObjectNode().put("ppid", hex));
  }
}
