// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.dev;

import static dev.arca.evidence.Trustworthiness.Claim.INSTANCE_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class DevVerifierTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final DevAttester attester = DevAttester.generate();
  private final byte[] reportData = "report".getBytes(StandardCharsets.UTF_8);
  private final byte[] evidence = attester.attest(reportData, Map.of("runtime", "abcd"), NOW);
  private final DevVerifier verifier = new DevVerifier();

  @Test
  void verifiesAndSaysItIsNotHardwareRooted() throws Exception {
    Claims claims =
        verifier.verify(
            evidence,
            VerificationContext.expectingReportData(NOW, reportData)
                .trustedKey(DevVerifier.publicKey(attester.publicKey()))
                .build());
    assertThat(claims.hardwareRooted()).isFalse();
    assertThat(claims.securityLevel()).isEqualTo("software");
    assertThat(claims.insecureFlags()).contains("dev.software-only");
    assertThat(claims.reportData()).isEqualTo(reportData);
    assertThat(claims.measurements()).containsEntry("runtime", "abcd");
    assertThat(claims.deviceIdentity()).isEqualTo(DevVerifier.deviceIdentity(attester.publicKey()));
  }

  @Test
  void aRuntimeInDebugModeIsReportedAsDebug() throws Exception {
    VerificationContext ctx = VerificationContext.expectingReportData(NOW, reportData).build();
    assertThat(verifier.verify(evidence, ctx).debug()).isFalse();
    byte[] debug = attester.attest(reportData, Map.of("runtime", "abcd"), NOW, true);
    assertThat(verifier.verify(debug, ctx).debug()).isTrue();
  }

  @Test
  void wrongReportDataAndUnenrolledKeyAreBothReported() throws Exception {
    byte[] otherKey = DevAttester.generate().publicKey();
    VerificationContext ctx =
        VerificationContext.expectingReportData(NOW, new byte[] {1})
            .trustedKey(DevVerifier.publicKey(otherKey))
            .build();
    assertThatThrownBy(() -> verifier.verify(evidence, ctx))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e ->
                assertThat(e.ids())
                    .containsExactly("dev.key.untrusted", "dev.report-data.mismatch"));
  }

  @Test
  void everyFlippedByteIsRejected() {
    VerificationContext ctx = VerificationContext.expectingReportData(NOW, reportData).build();
    for (int i = 0; i < evidence.length; i++) {
      byte[] bad = evidence.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> verifier.verify(bad, ctx))
          .as("flip at byte %d", i)
          .isInstanceOf(EvidenceException.class);
    }
  }

  @Test
  void unknownFormatHasItsOwnId() {
    assertThatThrownBy(() -> BuiltinFormats.registry().require("nope"))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("evidence.unknown-format"));
  }

  private final Ed25519PrivateKeyParameters key =
      new Ed25519PrivateKeyParameters(new SecureRandom());
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Evidence whose payload is {@code payloadJson}, correctly signed with {@link #key}. */
  private byte[] signedPayload(String payloadJson) {
    byte[] payload = payloadJson.getBytes(StandardCharsets.UTF_8);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    byte[] signed = DevEvidence.signedBytes(payload);
    signer.update(signed, 0, signed.length);
    return envelope(B64.encodeToString(payload), B64.encodeToString(signer.generateSignature()));
  }

  private static byte[] envelope(String payload, String signature) {
    return ("{\"payload\":\"" + payload + "\",\"signature\":\"" + signature + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A version-1 payload with {@link #key}'s public key, report data "report", and {@code more}. */
  private String payload(String more) {
    return payload(key.generatePublicKey().getEncoded(), 1, more);
  }

  private static String payload(byte[] publicKey, int version, String more) {
    return "{\"version\":"
        + version
        + ",\"publicKey\":\""
        + B64.encodeToString(publicKey)
        + "\",\"reportData\":\"cmVwb3J0\""
        + more
        + "}";
  }

  private List<String> ids(byte[] evidence) {
    try {
      verifier.verify(evidence, VerificationContext.expectingReportData(NOW, reportData).build());
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void aSignedPayloadMadeHereVerifies() {
    // The control for the refusals below.
    assertThat(ids(signedPayload(payload("")))).isEmpty();
  }

  @Test
  void aPayloadOfAnotherVersionIsRefused() {
    assertThat(ids(signedPayload(payload(key.generatePublicKey().getEncoded(), 2, ""))))
        .containsExactly("dev.payload.unsupported-version");
  }

  @Test
  void aPublicKeyThatIsNot32BytesIsMalformed() {
    assertThat(ids(signedPayload(payload(new byte[31], 1, ""))))
        .containsExactly("dev.payload.malformed");
  }

  @Test
  void aDebugFieldThatIsNotABooleanIsMalformed() {
    assertThat(ids(signedPayload(payload(",\"debug\":\"yes\""))))
        .containsExactly("dev.payload.malformed");
  }

  @Test
  void aSignatureOfTheWrongLengthIsInvalid() throws Exception {
    byte[] good = signedPayload(payload(""));
    String text = new String(good, StandardCharsets.UTF_8);
    String sig = text.substring(text.indexOf("\"signature\":\"") + 13, text.lastIndexOf('"'));
    byte[] shortSig = Arrays.copyOf(Base64.getUrlDecoder().decode(sig), 63);
    String payload = text.substring(text.indexOf("\"payload\":\"") + 11, text.indexOf("\",\""));
    assertThat(ids(envelope(payload, B64.encodeToString(shortSig))))
        .containsExactly("dev.signature.invalid");
  }

  @Test
  void anEnvelopeWithoutSignatureOrThatIsEmptyIsMalformed() {
    assertThat(ids("{\"payload\":\"e30\"}".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("dev.envelope.malformed");
    assertThat(ids(new byte[0])).containsExactly("dev.envelope.malformed");
  }

  @Test
  void aSignatureThatIsNotAJsonStringIsMalformedNotAnInvalidSignature() {
    // An object's text is "", which would decode to an empty signature: the refusal must come
    // from the field's type, not from the empty signature failing to verify.
    String payload = B64.encodeToString(payload("").getBytes(StandardCharsets.UTF_8));
    for (String signature : List.of("{}", "[]", "1234")) {
      byte[] evidence =
          ("{\"payload\":\"" + payload + "\",\"signature\":" + signature + "}")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(ids(evidence)).as(signature).containsExactly("dev.envelope.malformed");
    }
  }

  @Test
  void evidenceOverTheSizeLimitIsRefusedBeforeParsing() {
    byte[] atLimit = new byte[DevEvidence.MAX_BYTES];
    Arrays.fill(atLimit, (byte) ' ');
    assertThat(ids(atLimit)).containsExactly("dev.envelope.malformed");
    byte[] over = new byte[DevEvidence.MAX_BYTES + 1];
    Arrays.fill(over, (byte) ' ');
    assertThat(ids(over)).containsExactly("dev.evidence.too-large");
  }

  @Test
  void anEnrolledKeyAffirmsTheInstanceIdentityAndAnUnenrolledOneDoesNot() throws Exception {
    VerificationContext enrolled =
        VerificationContext.expectingReportData(NOW, reportData)
            .trustedKey(DevVerifier.publicKey(attester.publicKey()))
            .build();
    assertThat(verifier.verify(evidence, enrolled).trustworthiness().get(INSTANCE_IDENTITY))
        .isEqualTo(Trustworthiness.AFFIRMING);
    VerificationContext open = VerificationContext.expectingReportData(NOW, reportData).build();
    assertThat(verifier.verify(evidence, open).trustworthiness().get(INSTANCE_IDENTITY))
        .isEqualTo(Trustworthiness.NO_CLAIM);
  }

  @Test
  void theDeviceIdentityIsTheSha256OfThePublicKey() throws Exception {
    byte[] pk = attester.publicKey();
    assertThat(DevVerifier.deviceIdentity(pk))
        .isEqualTo(
            "dev:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pk)));
  }

  @Test
  void anEnrollmentKeyOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> DevVerifier.publicKey(new byte[31]))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("an Ed25519 public key has 32 bytes");
  }
}
