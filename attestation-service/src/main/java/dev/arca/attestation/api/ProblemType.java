// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.net.URI;
import java.util.Optional;

/**
 * Every failure the service reports, with a stable RFC 9457 {@code type} URI ({@code
 * urn:arca:problem:<id>}), its HTTP status and a short title. Clients switch on the type, never on
 * the detail text.
 *
 * <p>Attestation rejections (the device's fault) are 4xx with their own types; only {@link
 * #INTERNAL} and {@link #UNAVAILABLE} are server faults.
 */
public enum ProblemType {
  // Malformed requests.
  BAD_JSON("bad-json", 400, "The request body is not valid JSON for this endpoint"),
  BAD_BASE64("bad-base64", 400, "A field that must be base64 is not"),
  INVALID_REQUEST("invalid-request", 400, "The request failed validation"),
  UNKNOWN_FORMAT("unknown-format", 400, "The evidence format is not supported"),
  FORMAT_DISABLED("format-disabled", 403, "The evidence format is disabled on this service"),
  BODY_TOO_LARGE("body-too-large", 413, "The request body is larger than allowed"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "The content type is not accepted here"),
  NOT_ACCEPTABLE("not-acceptable", 406, "No acceptable response media type"),
  NOT_FOUND("not-found", 404, "No such resource"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed on this resource"),
  RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "The requested range is not satisfiable"),
  CONFLICT("conflict", 409, "The request conflicts with the current state"),
  RATE_LIMITED("rate-limited", 429, "Too many requests; retry after the Retry-After seconds"),

  // Authentication of people (admin API).
  UNAUTHORIZED("unauthorized", 401, "A valid bearer token is required"),
  FORBIDDEN("forbidden", 403, "The token lacks the role this endpoint requires"),
  FORM_TOKEN_INVALID(
      "form-token-invalid", 403, "The form was not posted from a page of this console session"),

  // Registries.
  POLICY_INVALID("policy-invalid", 422, "The policy document does not compile"),
  MODEL_PACKAGE_INVALID("model-package-invalid", 422, "The sealed model package is not valid"),
  COLLATERAL_INVALID(
      "collateral-invalid", 400, "The file is not vendor collateral this service accepts"),
  GRANT_REQUIRED("grant-required", 403, "Downloading a package needs a valid grant for it"),

  // Device enrolment (TPM: EK certificate chain + credential activation of the AK).
  EK_ROOTS_NOT_CONFIGURED(
      "enrolment/ek-roots-not-configured",
      422,
      "No TPM manufacturer root is pinned, so no TPM can enrol"),
  EK_UNTRUSTED(
      "enrolment/ek-untrusted",
      403,
      "The EK certificate does not chain to a pinned manufacturer root or does not certify the EK"),
  AK_UNSUITABLE(
      "enrolment/ak-unsuitable", 422, "The attestation key is not a restricted TPM signing key"),
  ACTIVATION_NOT_PENDING(
      "enrolment/activation-not-pending", 409, "The device has no pending credential activation"),
  ACTIVATION_EXPIRED(
      "enrolment/activation-expired", 403, "The credential activation window has closed"),
  ACTIVATION_FAILED(
      "enrolment/activation-failed",
      403,
      "The activated secret is not the one the credential was made with"),

  // Attestation: challenge.
  NONCE_INVALID("attestation/nonce-invalid", 400, "The nonce was not issued by this service"),
  NONCE_EXPIRED("attestation/nonce-expired", 400, "The nonce has expired"),
  NONCE_REPLAYED("attestation/nonce-replayed", 409, "The nonce was already used"),

  // Attestation: evidence and appraisal.
  REPORT_DATA_UNBOUND(
      "attestation/report-data-unbound",
      403,
      "The evidence does not bind the nonce, runtime key and measurement log"),
  EVIDENCE_INVALID("attestation/evidence-invalid", 403, "The evidence failed verification"),
  DEBUG_EVIDENCE("attestation/debug-evidence", 403, "The evidence comes from a debug platform"),
  INSECURE_RUNTIME(
      "attestation/insecure-runtime", 403, "The runtime measured insecure start-up settings"),
  DEVICE_UNKNOWN("attestation/device-unknown", 403, "The device is not enrolled"),
  DEVICE_REVOKED("attestation/device-revoked", 403, "The device is revoked"),
  DEVICE_PENDING(
      "attestation/device-pending",
      403,
      "The device's enrolment awaits credential activation; it cannot attest yet"),
  REFERENCE_MISMATCH(
      "attestation/reference-mismatch", 403, "Measurements do not match the reference values"),
  REFERENCE_MISSING(
      "attestation/reference-missing",
      403,
      "No reference-value set applies to the device, so its measurements cannot be appraised"),
  EVIDENCE_INCOMPLETE(
      "attestation/evidence-incomplete",
      403,
      "The evidence lacks what its format's minimum profile requires"),
  MEASUREMENT_LOG_MISMATCH(
      "attestation/measurement-log-mismatch",
      403,
      "The runtime's measurement log does not replay to the measured value"),
  ENROLMENT_UNUSABLE(
      "attestation/enrolment-unusable",
      409,
      "The device's stored enrolment cannot be used to verify; enrol the device again"),
  POLICY_DENIED("attestation/policy-denied", 403, "Policy denied the request"),
  NO_ACTIVE_POLICY("attestation/no-active-policy", 403, "No policy is active; deny by default"),

  // Server faults.
  STATE_TAMPERED(
      "state-tampered",
      500,
      "Stored state failed its integrity check (changed outside the service) and was not used"),
  INTERNAL("internal", 500, "Internal error"),
  UNAVAILABLE("unavailable", 503, "A dependency is unavailable");

  private static final String PREFIX = "urn:arca:problem:";

  private final String id;
  private final int status;
  private final String title;

  ProblemType(String id, int status, String title) {
    this.id = id;
    this.status = status;
    this.title = title;
  }

  /** The type with {@code id}, e.g. an appraisal {@code Rejection}'s problem id. */
  public static Optional<ProblemType> byId(String id) {
    for (ProblemType t : values()) {
      if (t.id.equals(id)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Short stable id, e.g. {@code attestation/nonce-replayed}. */
  public String id() {
    return id;
  }

  /** The RFC 9457 {@code type} member. */
  public URI uri() {
    return URI.create(PREFIX + id);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
