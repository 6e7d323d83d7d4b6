// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cose.CoseException;
import dev.arca.evidence.cose.CoseFailures;
import dev.arca.evidence.cose.CoseSign1;
import dev.arca.evidence.cose.EcKeys;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies Arm PSA attestation tokens (RFC 9783; profiles {@code http://arm.com/psa/2.0.0} and
 * {@code PSA_IOT_PROFILE_1}): a COSE_Sign1 (ES256, ES384 or ES512) signed by the device's Initial
 * Attestation Key (IAK), whose public key the verifier is given as a trusted key ({@code
 * --trust-anchors <pem>}).
 *
 * <p>The instance id is {@code 0x01 || H(IAK public key as an uncompressed point)}, so the key is
 * chosen by the instance id: a token from a device whose IAK is not among the trusted keys fails
 * with {@code psa.key.unknown}, a bad signature under the right key with {@code
 * psa.signature.invalid}. An expected nonce or expected report data is compared with the nonce
 * claim, the only data a PSA token binds.
 *
 * <p>Failure ids: {@code psa.token.too-large}, {@code psa.cbor.<reason>}, {@code psa.cose.*},
 * {@code psa.claims.malformed}, {@code psa.claims.unknown-profile}, {@code psa.key.missing}, {@code
 * psa.key.unknown}, {@code psa.signature.invalid}, {@code psa.nonce.mismatch}, {@code
 * psa.report-data.mismatch}.
 */
public final class PsaVerifier implements EvidenceVerifier {
  /** Media type of a PSA token (RFC 9783 section 11.2). */
  public static final String MEDIA_TYPE = "application/psa-attestation-token";

  static final String FORMAT = "psa";
  static final int MAX_BYTES = 16 * 1024;
  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor(FORMAT, "1", List.of(MEDIA_TYPE));
  private static final CborDecoder CBOR = CborDecoder.strict();

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    if (evidence.length > MAX_BYTES) {
      throw new EvidenceException(
          "psa.token.too-large",
          "the token has " + evidence.length + " bytes; at most " + MAX_BYTES);
    }
    CoseSign1 cose = CoseFailures.decodeSign1(FORMAT, evidence, CBOR);
    PsaToken token = PsaToken.parse(CoseFailures.decode(FORMAT, cose.payload(), CBOR));

    Failures failures = new Failures();
    try {
      PublicKey iak = keyFor(token.instanceId(), context.trustedKeys());
      cose.verify(iak);
    } catch (EvidenceException e) {
      failures.addAll(e);
    } catch (CoseException e) {
      failures.addAll(CoseFailures.of(FORMAT, e));
    }
    checkNonce(token.nonce(), context, failures, FORMAT);
    failures.throwIfAny();
    return claims(token, cose);
  }

  /** Compares the expected nonce and report data with the token's nonce (constant time). */
  static void checkNonce(
      byte[] tokenNonce, VerificationContext context, Failures failures, String prefix) {
    Optional<byte[]> nonce = context.expectedNonce();
    if (nonce.isPresent() && !MessageDigest.isEqual(nonce.get(), tokenNonce)) {
      failures.addBinding(
          prefix + ".nonce.mismatch", "the token's nonce is not the expected challenge");
    }
    Optional<byte[]> reportData = context.expectedReportData();
    if (reportData.isPresent() && !MessageDigest.isEqual(reportData.get(), tokenNonce)) {
      failures.addBinding(
          prefix + ".report-data.mismatch", "the token's nonce is not the expected report data");
    }
  }

  /** The trusted EC key whose hash is the instance id. */
  private static PublicKey keyFor(byte[] instanceId, List<PublicKey> trusted)
      throws EvidenceException {
    if (trusted.isEmpty()) {
      throw new EvidenceException(
          "psa.key.missing",
          "no attestation key given: pass the device's IAK public key with --trust-anchors");
    }
    byte[] hash = Arrays.copyOfRange(instanceId, 1, instanceId.length);
    String alg =
        switch (hash.length) {
          case 32 -> "SHA-256";
          case 48 -> "SHA-384";
          default -> "SHA-512";
        };
    for (PublicKey k : trusted) {
      if (k instanceof ECPublicKey ec
          && MessageDigest.isEqual(hash, digest(alg, EcKeys.uncompressedPoint(ec)))) {
        return k;
      }
    }
    throw new EvidenceException(
        "psa.key.unknown",
        "the token's instance id "
            + HexFormat.of().formatHex(instanceId)
            + " is the hash of none of the "
            + trusted.size()
            + " trusted attestation keys");
  }

  private static byte[] digest(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " unavailable", e);
    }
  }

  private static Claims claims(PsaToken t, CoseSign1 cose) {
    HexFormat hex = HexFormat.of();
    PsaLifecycle lc = t.lifecycle();
    Claims.Builder b =
        Claims.builder(FORMAT)
            .hardwareRooted(true)
            .securityLevel("psa-rot")
            .deviceIdentity(hex.formatHex(t.instanceId()))
            .debug(lc.debug())
            .reportData(t.nonce())
            .tcb("lifecycle", lc.state());
    PsaClaimsMapping.addComponents(b, "", t.softwareComponents());
    t.certificationReference().ifPresent(v -> b.tcb("certificationReference", v));
    if (!lc.secured()) {
      b.insecureFlag("psa.lifecycle." + lc.state());
    }
    b.trustworthiness(PsaClaimsMapping.trustworthiness(lc))
        .raw("profile", t.profile().profileName())
        .raw("algorithm", cose.algorithm().name())
        .raw("nonce", hex.formatHex(t.nonce()))
        .raw("instanceId", hex.formatHex(t.instanceId()))
        .raw("implementationId", hex.formatHex(t.implementationId()))
        .raw("lifecycle", lc.value())
        .raw("lifecycleState", lc.state())
        .raw("bootSeed", t.bootSeed().map(hex::formatHex).orElse(null))
        .raw("clientId", t.clientId().orElse(null))
        .raw("certificationReference", t.certificationReference().orElse(null))
        .raw("verificationService", t.verificationService().orElse(null))
        .raw(
            "softwareComponents",
            t.softwareComponents().stream().map(SoftwareComponent::toRaw).toList());
    return b.build();
  }
}
