// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies {@code dev} evidence made by {@link DevAttester}: the Ed25519 signature, the key against
 * the context's trusted keys (enrolled dev devices) when any are given, and the report data. The
 * claims always say {@code hardwareRooted = false}, security level {@code software}, and carry the
 * insecure flag {@code dev.software-only}: this evidence proves only possession of a key, never
 * anything about hardware.
 *
 * <p>Failure ids: {@code dev.evidence.too-large}, {@code dev.envelope.malformed}, {@code
 * dev.payload.malformed}, {@code dev.payload.unsupported-version}, {@code dev.signature.invalid},
 * {@code dev.key.untrusted}, {@code dev.report-data.mismatch}.
 */
public final class DevVerifier implements EvidenceVerifier {
  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor("dev", "1", List.of(DevEvidence.MEDIA_TYPE));
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410). */
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /** The device identity claimed for a dev public key: {@code dev:} and hex of its SHA-256. */
  public static String deviceIdentity(byte[] publicKey) {
    try {
      return "dev:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * A raw 32-byte Ed25519 public key as a {@link PublicKey}, for {@link
   * VerificationContext.Builder#trustedKey}.
   *
   * @throws java.security.InvalidKeyException when the bytes are not an Ed25519 key
   */
  public static PublicKey publicKey(byte[] raw) throws java.security.InvalidKeyException {
    if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      throw new java.security.InvalidKeyException("an Ed25519 public key has 32 bytes");
    }
    byte[] spki = spki(raw);
    try {
      return java.security.KeyFactory.getInstance("Ed25519")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
    } catch (java.security.NoSuchAlgorithmException
        | java.security.spec.InvalidKeySpecException e) {
      throw new java.security.InvalidKeyException("not an Ed25519 public key", e);
    }
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    if (evidence.length > DevEvidence.MAX_BYTES) {
      throw new EvidenceException(
          "dev.evidence.too-large",
          "dev evidence is " + evidence.length + " bytes; at most " + DevEvidence.MAX_BYTES);
    }
    JsonNode envelope = parse(evidence, "dev.envelope.malformed", "evidence");
    byte[] payloadBytes = base64Field(envelope, "payload", "dev.envelope.malformed");
    byte[] signature = base64Field(envelope, "signature", "dev.envelope.malformed");
    JsonNode payload = parse(payloadBytes, "dev.payload.malformed", "payload");
    if (payload.path("version").asInt(-1) != DevEvidence.VERSION) {
      throw new EvidenceException(
          "dev.payload.unsupported-version",
          "dev evidence version " + payload.path("version") + " is not supported; expected 1");
    }
    byte[] publicKey = base64Field(payload, "publicKey", "dev.payload.malformed");
    byte[] reportData = base64Field(payload, "reportData", "dev.payload.malformed");
    if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      throw new EvidenceException(
          "dev.payload.malformed", "publicKey must be a 32-byte Ed25519 key");
    }

    Failures failures = new Failures();
    if (!signatureValid(publicKey, payloadBytes, signature)) {
      failures.add("dev.signature.invalid", "the evidence signature does not verify");
    }
    boolean trusted = isTrusted(publicKey, context.trustedKeys());
    if (!context.trustedKeys().isEmpty() && !trusted) {
      failures.add("dev.key.untrusted", "the evidence is signed by a key that is not enrolled");
    }
    Optional<byte[]> expected = context.expectedReportData().or(() -> context.expectedNonce());
    if (expected.isPresent() && !MessageDigest.isEqual(expected.get(), reportData)) {
      failures.addBinding(
          "dev.report-data.mismatch", "the evidence binds other report data than expected");
    }
    JsonNode debug = payload.path("debug");
    if (!debug.isMissingNode() && !debug.isBoolean()) {
      throw new EvidenceException("dev.payload.malformed", "debug must be true or false");
    }
    failures.throwIfAny();

    Claims.Builder claims =
        Claims.builder("dev")
            .hardwareRooted(false)
            .debug(debug.asBoolean(false))
            .securityLevel("software")
            .deviceIdentity(deviceIdentity(publicKey))
            .reportData(reportData)
            .insecureFlag("dev.software-only")
            .raw("publicKey", Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey))
            .raw("createdAt", payload.path("createdAt").asText(""))
            .trustworthiness(
                Trustworthiness.empty()
                    .with(
                        Trustworthiness.Claim.INSTANCE_IDENTITY,
                        trusted ? Trustworthiness.AFFIRMING : Trustworthiness.NO_CLAIM));
    Iterator<Map.Entry<String, JsonNode>> m = payload.path("measurements").properties().iterator();
    while (m.hasNext()) {
      Map.Entry<String, JsonNode> e = m.next();
      claims.measurement(e.getKey(), e.getValue().asText());
    }
    return claims.build();
  }

  private static boolean signatureValid(byte[] publicKey, byte[] payload, byte[] signature) {
    if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    try {
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    } catch (IllegalArgumentException e) {
      return false; // not a point on the curve: no signature can verify
    }
    byte[] signed = DevEvidence.signedBytes(payload);
    verifier.update(signed, 0, signed.length);
    return verifier.verifySignature(signature);
  }

  private static boolean isTrusted(byte[] publicKey, List<PublicKey> trustedKeys) {
    byte[] spki = spki(publicKey);
    boolean found = false;
    for (PublicKey k : trustedKeys) {
      found |= MessageDigest.isEqual(spki, k.getEncoded());
    }
    return found;
  }

  private static byte[] spki(byte[] raw) {
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
    return spki;
  }

  private static JsonNode parse(byte[] bytes, String id, String what) throws EvidenceException {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new EvidenceException(id, "the dev " + what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new EvidenceException(id, "the dev " + what + " is not valid JSON");
    }
  }

  private static byte[] base64Field(JsonNode node, String field, String id)
      throws EvidenceException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new EvidenceException(id, "field '" + field + "' is missing or not a string");
    }
    try {
      byte[] decoded = Base64.getUrlDecoder().decode(v.asText());
      // Only the canonical encoding is accepted, so one piece of evidence has one byte form.
      if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(v.asText())) {
        throw new EvidenceException(
            id, "field '" + field + "' is not canonical unpadded base64url");
      }
      return decoded;
    } catch (IllegalArgumentException e) {
      throw new EvidenceException(id, "field '" + field + "' is not base64url");
    }
  }
}
