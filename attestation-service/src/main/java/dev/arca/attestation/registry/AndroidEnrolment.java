// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.storage.Json;
import dev.arca.evidence.android.AndroidKeyVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Android devices enrol by their hardware-attested identifiers (Android "ID attestation", which a
 * device-owner app can request and the TEE or StrongBox checks against factory-provisioned values):
 * {@code {"brand", "model", "serial", "packageName", "signingCertificateSha256",
 * "verifiedBootKey"?, "minimumSecurityLevel"?}}. The identity is {@link
 * AndroidKeyVerifier#idAttestedIdentity} of brand, model and serial ({@code
 * android:<brand>/<model>/<serial>}, brand and model lower-cased), which the verifier reports for
 * every key the device attests with those identifiers in its hardware-enforced list; evidence
 * without them names a key, not the device, and matches no enrolment. The rest is stored and
 * checked at each appraisal ({@code AndroidEnrolmentCheck} in the appraisal module): the app the
 * attested key belongs to (package name and signing-certificate SHA-256, hex), the optional
 * verified boot key (hex), and the minimum security level ({@code tee}, the default, or {@code
 * strongbox}). Chains must end at a Google root the verifier pins; an unlocked or unverified device
 * or a software key is refused as debug.
 */
@ApplicationScoped
public class AndroidEnrolment implements DeviceEnrolment {
  /** An Android application id: at least two dot-separated segments (Android's own rule). */
  private static final Pattern PACKAGE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+");

  private static final int MAX_ID_CHARS = 128;

  @Override
  public String format() {
    return "android-key";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    String brand = identifier(request, "brand");
    String model = identifier(request, "model");
    String serial = identifier(request, "serial");
    String packageName = EnrolmentFields.text(request, "packageName");
    if (packageName == null
        || packageName.length() > 255
        || !PACKAGE.matcher(packageName).matches()) {
      throw invalid(
          "enrolment.packageName must be the app's package name (such as dev.arca.runtime): at"
              + " least two dot-separated segments of letters, digits and '_'");
    }
    ObjectNode stored =
        Json.MAPPER
            .createObjectNode()
            .put("brand", brand)
            .put("model", model)
            .put("serial", serial)
            .put("packageName", packageName)
            .put(
                "signingCertificateSha256",
                HexFormat.of()
                    .formatHex(EnrolmentFields.hex(request, "signingCertificateSha256", 32, 32)));
    if (request.has("verifiedBootKey")) {
      stored.put(
          "verifiedBootKey",
          HexFormat.of().formatHex(EnrolmentFields.hex(request, "verifiedBootKey", 1, 64)));
    }
    String level = EnrolmentFields.text(request, "minimumSecurityLevel");
    if (request.has("minimumSecurityLevel") && !"tee".equals(level) && !"strongbox".equals(level)) {
      throw invalid("enrolment.minimumSecurityLevel must be \"tee\" or \"strongbox\"");
    }
    stored.put("minimumSecurityLevel", level == null ? "tee" : level);
    String identity =
        AndroidKeyVerifier.idAttestedIdentity(brand, model, serial)
            .orElseThrow(() -> invalid("enrolment.brand, model and serial name no device"));
    return new EnrolledIdentity(identity, stored);
  }

  /**
   * An ID-attested identifier: 1..128 characters, no '/' (the identity's separator), no control.
   */
  private static String identifier(JsonNode request, String field) {
    String v = EnrolmentFields.text(request, field);
    if (v == null
        || v.isEmpty()
        || v.length() > MAX_ID_CHARS
        || v.indexOf('/') >= 0
        || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw invalid(
          "enrolment."
              + field
              + " must be the device's attested "
              + field
              + " as text of 1 to "
              + MAX_ID_CHARS
              + " characters without '/' or control characters");
    }
    return v;
  }

  private static ProblemException invalid(String message) {
    return new ProblemException(ProblemType.INVALID_REQUEST, message);
  }
}
