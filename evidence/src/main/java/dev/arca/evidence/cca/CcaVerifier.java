// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cca;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.CoseException;
import dev.arca.evidence.cose.CoseFailures;
import dev.arca.evidence.cose.CoseSign1;
import dev.arca.evidence.cose.EcKeys;
import dev.arca.evidence.internal.PaddedReportData;
import dev.arca.evidence.psa.PsaClaimsMapping;
import dev.arca.evidence.psa.SoftwareComponent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies Arm CCA attestation tokens: CBOR tag 399 holding {@code {44234: platform token, 44241:
 * realm token}}, each a COSE_Sign1 in a byte string.
 *
 * <ul>
 *   <li>The platform token is signed by the CCA platform attestation key, which the verifier is
 *       given as a trusted key ({@code --trust-anchors cca_platform.pub}).
 *   <li>The realm token is signed by the Realm Attestation Key (RAK) that the realm token itself
 *       carries in claim 44237 (an uncompressed EC point or a COSE_Key).
 *   <li>The platform challenge (claim 10) must equal the hash of that RAK claim with the realm's
 *       RAK hash algorithm (44240, else 44236): this is what ties the realm to the platform.
 *   <li>An expected nonce or report data is compared with the realm challenge (64 bytes); report
 *       data shorter than 64 bytes (Arca's 32) is the challenge's first bytes, the rest zero.
 * </ul>
 *
 * <p>The platform token carries no key identifier and its instance id is not a key hash, so a
 * platform token signed by a key that is not trusted and an altered token are indistinguishable:
 * both fail with {@code cca.platform.signature.invalid}.
 *
 * <p>Failure ids: {@code cca.token.too-large}, {@code cca.cbor.<reason>}, {@code
 * cca.token.malformed}, {@code cca.platform.cbor.*}, {@code cca.platform.cose.*}, {@code
 * cca.platform.claims.malformed}, {@code cca.platform.key.missing}, {@code
 * cca.platform.signature.invalid}, {@code cca.realm.cbor.*}, {@code cca.realm.cose.*}, {@code
 * cca.realm.claims.malformed}, {@code cca.realm.signature.invalid}, {@code
 * cca.binding.rak-hash-mismatch}, {@code cca.nonce.mismatch}, {@code cca.report-data.mismatch}.
 */
public final class CcaVerifier implements EvidenceVerifier {
  /** Media type of a CCA attestation token (draft-ffm-rats-cca-token). */
  public static final String MEDIA_TYPE =
      "application/eat-collection; profile=\"http://arm.com/CCA-SSD/1.0.0\"";

  static final String FORMAT = "cca";
  static final long TAG = 399;
  static final long PLATFORM_KEY = 44234;
  static final long REALM_KEY = 44241;
  static final int MAX_BYTES = 32 * 1024;

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
          "cca.token.too-large",
          "the token has " + evidence.length + " bytes; at most " + MAX_BYTES);
    }
    CborValue outer = CoseFailures.decode(FORMAT, evidence, CBOR);
    if (!(outer instanceof CborValue.Tag t) || t.tag() != TAG) {
      throw new EvidenceException(
          "cca.token.malformed",
          "a CCA token is CBOR tag 399 holding the platform and realm tokens");
    }
    byte[] platformBytes = member(t.content(), PLATFORM_KEY, "platform");
    byte[] realmBytes = member(t.content(), REALM_KEY, "realm");

    CoseSign1 platformCose = CoseFailures.decodeSign1(FORMAT + ".platform", platformBytes, CBOR);
    CcaPlatformToken platform =
        CcaPlatformToken.parse(
            CoseFailures.decode(FORMAT + ".platform", platformCose.payload(), CBOR));
    CoseSign1 realmCose = CoseFailures.decodeSign1(FORMAT + ".realm", realmBytes, CBOR);
    CcaRealmToken realm =
        CcaRealmToken.parse(CoseFailures.decode(FORMAT + ".realm", realmCose.payload(), CBOR));

    Failures failures = new Failures();
    verifyPlatform(platformCose, context.trustedKeys(), failures);
    try {
      realmCose.verify(rak(realm.rak(), realmCose.algorithm()));
    } catch (CoseException e) {
      failures.addAll(CoseFailures.of(FORMAT + ".realm", e));
    }
    byte[] rakHash = digest(realm.rakHashAlgorithm(), realm.rak());
    if (!MessageDigest.isEqual(rakHash, platform.challenge())) {
      failures.add(
          "cca.binding.rak-hash-mismatch",
          "the platform challenge is not the "
              + realm.rakHashAlgorithm()
              + " hash of the realm's RAK: the realm token is not bound to this platform token");
    }
    checkNonce(realm.challenge(), context, failures);
    failures.throwIfAny();
    return claims(platform, realm, platformCose, realmCose);
  }

  private static byte[] member(CborValue map, long key, String what) throws EvidenceException {
    try {
      Optional<CborValue> v = map.get(key);
      if (v.isEmpty()) {
        throw new EvidenceException(
            "cca.token.malformed", "the CCA token has no " + what + " token (" + key + ")");
      }
      return v.get().asBytes();
    } catch (CborException e) {
      throw new EvidenceException(
          "cca.token.malformed", "the CCA token is not a map of byte strings: " + e.getMessage());
    }
  }

  private static void verifyPlatform(CoseSign1 cose, List<PublicKey> trusted, Failures failures) {
    if (trusted.isEmpty()) {
      failures.add(
          "cca.platform.key.missing",
          "no platform key given: pass the CCA platform attestation key with --trust-anchors");
      return;
    }
    CoseException last = null;
    for (PublicKey k : trusted) {
      try {
        cose.verify(k);
        return;
      } catch (CoseException e) {
        last = e;
      }
    }
    failures.add(
        "cca.platform.signature.invalid",
        "the platform token does not verify with any of the "
            + trusted.size()
            + " trusted platform keys (last: "
            + last.getMessage()
            + ")");
  }

  /** The RAK as an uncompressed point (RMM 1.0 EAC) or a COSE_Key (RMM 1.0 final). */
  static PublicKey rak(byte[] claim, CoseAlgorithm alg) throws CoseException {
    if (claim.length > 0 && claim[0] == 0x04) {
      return EcKeys.fromUncompressedPoint(claim, alg);
    }
    try {
      CborValue key = CBOR.decode(claim);
      if (key.get(1).orElseThrow().asLong() != 2) {
        throw new CoseException(CoseException.Reason.KEY_MISMATCH, "the RAK is not an EC2 key");
      }
      long crv = key.get(-1).orElseThrow().asLong();
      CoseAlgorithm curveAlg =
          crv == 1 ? CoseAlgorithm.ES256 : crv == 2 ? CoseAlgorithm.ES384 : CoseAlgorithm.ES512;
      byte[] x = key.get(-2).orElseThrow().asBytes();
      byte[] y = key.get(-3).orElseThrow().asBytes();
      byte[] point = new byte[1 + x.length + y.length];
      point[0] = 0x04;
      System.arraycopy(x, 0, point, 1, x.length);
      System.arraycopy(y, 0, point, 1 + x.length, y.length);
      return EcKeys.fromUncompressedPoint(point, curveAlg);
    } catch (CborException | java.util.NoSuchElementException e) {
      throw new CoseException(
          CoseException.Reason.KEY_MISMATCH,
          "the RAK claim is neither an uncompressed EC point nor an EC2 COSE_Key");
    }
  }

  private static byte[] digest(String ccaName, byte[] data) throws EvidenceException {
    String jca =
        switch (ccaName) {
          case "sha-256" -> "SHA-256";
          case "sha-384" -> "SHA-384";
          case "sha-512" -> "SHA-512";
          default ->
              throw new EvidenceException(
                  CcaRealmToken.MALFORMED, "hash algorithm '" + ccaName + "' is not supported");
        };
    try {
      return MessageDigest.getInstance(jca).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " unavailable", e);
    }
  }

  private static void checkNonce(byte[] challenge, VerificationContext context, Failures failures) {
    Optional<byte[]> nonce = context.expectedNonce();
    if (nonce.isPresent() && !MessageDigest.isEqual(nonce.get(), challenge)) {
      failures.addBinding("cca.nonce.mismatch", "the realm challenge is not the expected nonce");
    }
    Optional<byte[]> reportData = context.expectedReportData();
    if (reportData.isPresent() && !PaddedReportData.binds(challenge, reportData.get())) {
      failures.addBinding(
          "cca.report-data.mismatch",
          "the realm challenge is not the expected report data ("
              + PaddedReportData.describe(challenge.length, reportData.get().length)
              + ")");
    }
  }

  private static Claims claims(
      CcaPlatformToken p, CcaRealmToken r, CoseSign1 platformCose, CoseSign1 realmCose) {
    HexFormat hex = HexFormat.of();
    Claims.Builder b =
        Claims.builder(FORMAT)
            .hardwareRooted(true)
            .securityLevel("realm")
            .deviceIdentity(hex.formatHex(p.instanceId()))
            .debug(p.lifecycle().debug())
            .reportData(r.challenge())
            .measurement("rim", r.initialMeasurement())
            .tcb("lifecycle", p.lifecycle().state());
    for (int i = 0; i < r.extensibleMeasurements().size(); i++) {
      b.measurement("rem" + i, r.extensibleMeasurements().get(i));
    }
    b.measurement("personalization", r.personalizationValue());
    PsaClaimsMapping.addComponents(b, "platform.", p.softwareComponents());
    if (!p.lifecycle().secured()) {
      b.insecureFlag("cca.lifecycle." + p.lifecycle().state());
    }
    b.trustworthiness(PsaClaimsMapping.trustworthiness(p.lifecycle()))
        .raw("platformProfile", p.profile().orElse(null))
        .raw("platformAlgorithm", platformCose.algorithm().name())
        .raw("platformChallenge", hex.formatHex(p.challenge()))
        .raw("platformInstanceId", hex.formatHex(p.instanceId()))
        .raw("platformImplementationId", hex.formatHex(p.implementationId()))
        .raw("platformConfig", p.config().map(hex::formatHex).orElse(null))
        .raw("platformLifecycle", p.lifecycle().value())
        .raw("platformLifecycleState", p.lifecycle().state())
        .raw("platformHashAlgorithm", p.hashAlgorithm().orElse(null))
        .raw(
            "platformSoftwareComponents",
            p.softwareComponents().stream().map(SoftwareComponent::toRaw).toList())
        .raw("platformVerificationService", p.verificationService().orElse(null))
        .raw("realmProfile", r.profile().orElse(null))
        .raw("realmAlgorithm", realmCose.algorithm().name())
        .raw("realmChallenge", hex.formatHex(r.challenge()))
        .raw("realmPersonalizationValue", hex.formatHex(r.personalizationValue()))
        .raw("realmHashAlgorithm", r.hashAlgorithm())
        .raw("realmPublicKey", hex.formatHex(r.rak()))
        .raw("realmPublicKeyHashAlgorithm", r.rakHashAlgorithm())
        .raw("realmInitialMeasurement", hex.formatHex(r.initialMeasurement()))
        .raw(
            "realmExtensibleMeasurements",
            r.extensibleMeasurements().stream().map(hex::formatHex).toList());
    return b.build();
  }
}
