package dev.arca.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevVerifier;
import java.security.InvalidKeyException;
import java.util.Base64;

/**
 * What a stored enrolment trusts at appraisal, per evidence format: the service applies it when it
 * verifies evidence, and {@link AppraisalReplay} applies it to the enrolment an entry records.
 *
 * <p>Built in: {@code dev} ({@code {"publicKey": base64}}: the device's Ed25519 key). A format the
 * service enrols by other material adds its mapping here, so both sides stay one code path.
 */
public final class EnrolmentTrust {
  private EnrolmentTrust() {}

  /**
   * Adds what {@code enrolment} trusts to {@code context}.
   *
   * @throws ReplayException {@code audit.replay.enrolment-unsupported} for a format without a
   *     mapping, {@code audit.replay.enrolment-malformed} when the enrolment is not usable
   */
  public static void apply(String format, JsonNode enrolment, VerificationContext.Builder context)
      throws ReplayException {
    if (!"dev".equals(format)) {
      throw new ReplayException(
          "audit.replay.enrolment-unsupported",
          "no enrolment mapping for evidence format '" + format + "' in this build");
    }
    JsonNode pk = enrolment == null ? null : enrolment.get("publicKey");
    if (pk == null || !pk.isTextual()) {
      throw new ReplayException(
          "audit.replay.enrolment-malformed", "dev enrolment has no textual 'publicKey'");
    }
    try {
      context.trustedKey(DevVerifier.publicKey(Base64.getDecoder().decode(pk.asText())));
    } catch (IllegalArgumentException | InvalidKeyException e) {
      throw new ReplayException(
          "audit.replay.enrolment-malformed",
          "dev enrolment 'publicKey' is not a base64 Ed25519 key",
          e);
    }
  }
}
