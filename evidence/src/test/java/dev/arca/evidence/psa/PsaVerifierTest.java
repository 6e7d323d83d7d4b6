// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceFiles;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.EcKeys;
import dev.arca.evidence.cose.TestCoseSigner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PsaVerifierTest {
  /** PSA tokens carry no validity period; any time works. */
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private static final HexFormat HEX = HexFormat.of();
  private final PsaVerifier verifier = new PsaVerifier();
  private final byte[] token = resource("psa/psa-2_0_0_sign1.bin");

  static byte[] resource(String name) {
    try (InputStream in = PsaVerifierTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    } catch (Exception e) {
      throw new IllegalStateException(name, e);
    }
  }

  static PublicKey tfmKey() throws Exception {
    return EvidenceFiles.publicKey(
        new String(resource("psa/public.pem"), StandardCharsets.US_ASCII), Path.of("public.pem"));
  }

  private static VerificationContext withKey(PublicKey key) {
    return VerificationContext.insecureWithoutBinding(AT).trustedKey(key).build();
  }

  private static void assertIds(ThrowingCallable call, String... ids) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly(ids));
  }

  @Test
  void tfmTokenVerifiesWithTheClaimsInItsDiagFile() throws Exception {
    Claims c =
        verifier.verify(
            token,
            VerificationContext.expectingNonce(AT, new byte[64]).trustedKey(tfmKey()).build());
    assertThat(c.format()).isEqualTo("psa");
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.deviceIdentity())
        .isEqualTo("01fa58755f658627ce5460f29b75296713248cae7ad9e2984b90280efcbcb50248");
    assertThat(c.reportData()).isEqualTo(new byte[64]);
    assertThat(c.debug()).isFalse();
    assertThat(c.insecureFlags()).isEmpty();
    assertThat(c.measurements())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "SPE", "96a2ec56c65120a60ce3a53ef8d2082233772aacd5b17935a92be12ac577f685",
                "NSPE", "087d13c68f32aaafb8c4fc0a2253445432009765e216fb85c398c9580522c1bf"));
    assertThat(c.tcb())
        .containsEntry("lifecycle", "secured")
        .containsEntry("SPE.version", "1.6.0")
        .containsEntry("NSPE.version", "0.0.0")
        .containsEntry("certificationReference", "0604565272829-10010");
    assertThat(c.raw())
        .containsEntry("profile", "http://arm.com/psa/2.0.0")
        .containsEntry("algorithm", "ES256")
        .containsEntry("clientId", 3002L)
        .containsEntry("lifecycle", 12288)
        .containsEntry(
            "bootSeed", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf")
        .containsEntry(
            "implementationId", "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd")
        .containsEntry("verificationService", "www.trustedfirmware.org");
    assertThat(c.raw().get("softwareComponents"))
        .isEqualTo(
            List.of(
                Map.of(
                    "measurementType", "SPE",
                    "measurementValue",
                        "96a2ec56c65120a60ce3a53ef8d2082233772aacd5b17935a92be12ac577f685",
                    "version", "1.6.0",
                    "signerId", "bfe6d86f8826f4ff97fb96c4e6fbc4993e4619fc565da26adf34c329489adc38",
                    "measurementDescription", "SHA256"),
                Map.of(
                    "measurementType", "NSPE",
                    "measurementValue",
                        "087d13c68f32aaafb8c4fc0a2253445432009765e216fb85c398c9580522c1bf",
                    "version", "0.0.0",
                    "signerId", "b360caf5c98c6b942a4882fa9d4823efb166a9ef6a6e4aa37c1919ed1fccc049",
                    "measurementDescription", "SHA256")));
    assertThat(c.trustworthiness().tier()).isEqualTo(Trustworthiness.Tier.AFFIRMING);
    assertThat(BuiltinFormats.registry().require("psa")).isInstanceOf(PsaVerifier.class);
  }

  @Test
  void everyValueInTheDiagFileAppearsInTheClaims() throws Exception {
    String claimsText =
        verifier.verify(token, withKey(tfmKey())).raw().toString().toLowerCase(Locale.ROOT);
    String diag = new String(resource("psa/psa-2_0_0_claims.diag"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("h'([0-9A-Fa-f]+)'|\"([^\"]*)\"|: (\\d+),").matcher(diag);
    int values = 0;
    while (m.find()) {
      String v = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      assertThat(claimsText).as("diag value %s", v).contains(v.toLowerCase(Locale.ROOT));
      values++;
    }
    assertThat(values).isEqualTo(19); // 8 byte strings, 9 texts, 2 integers
  }

  @Test
  void wrongNonceAndWrongReportDataAreBothReported() throws Exception {
    byte[] other = new byte[64];
    other[0] = 1;
    assertIds(
        () ->
            verifier.verify(
                token, VerificationContext.expectingNonce(AT, other).trustedKey(tfmKey()).build()),
        "psa.nonce.mismatch");
    assertIds(
        () ->
            verifier.verify(
                token,
                VerificationContext.expectingReportData(AT, other).trustedKey(tfmKey()).build()),
        "psa.report-data.mismatch");
  }

  @Test
  void unknownAndMissingKeysHaveTheirOwnIds() throws Exception {
    PublicKey other = TestCoseSigner.generate(CoseAlgorithm.ES256).getPublic();
    assertIds(() -> verifier.verify(token, withKey(other)), "psa.key.unknown");
    assertIds(
        () -> verifier.verify(token, VerificationContext.insecureWithoutBinding(AT).build()),
        "psa.key.missing");
  }

  @Test
  void everyFlippedSignatureByteFailsTheSignature() throws Exception {
    VerificationContext ctx = withKey(tfmKey());
    for (int i = token.length - 64; i < token.length; i++) {
      byte[] bad = token.clone();
      bad[i] ^= 0x01;
      assertIds(() -> verifier.verify(bad, ctx), "psa.signature.invalid");
    }
  }

  @Test
  void everyFlippedBodyByteIsRejected() throws Exception {
    VerificationContext ctx = withKey(tfmKey());
    for (int i = 0; i < token.length - 64; i++) {
      byte[] bad = token.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThatThrownBy(() -> verifier.verify(bad, ctx))
          .as("flip at byte %d", at)
          .isInstanceOfSatisfying(
              EvidenceException.class,
              e -> assertThat(e.ids()).isNotEmpty().allMatch(id -> id.startsWith("psa.")));
    }
  }

  @Test
  void truncatedTokenAndOverLongLengthHaveTheirOwnIds() throws Exception {
    VerificationContext ctx = withKey(tfmKey());
    // Without the 66-byte signature item the array ends early.
    assertIds(
        () -> verifier.verify(Arrays.copyOf(token, token.length - 66), ctx), "psa.cbor.truncated");
    // The payload length head (59 01 ca at offset 7) made 0xffff: beyond the input.
    assertThat(HEX.formatHex(token, 7, 10)).isEqualTo("5901ca");
    byte[] overLong = token.clone();
    overLong[8] = (byte) 0xff;
    overLong[9] = (byte) 0xff;
    assertIds(() -> verifier.verify(overLong, ctx), "psa.cbor.length-too-large");
  }

  @Test
  void iotProfile1TokenVerifies() throws Exception {
    // No shared PSA_IOT_PROFILE_1 vector exists: this token is built and signed here (test key).
    KeyPair kp = TestCoseSigner.generate(CoseAlgorithm.ES256);
    byte[] nonce = new byte[32];
    Arrays.fill(nonce, (byte) 7);
    byte[] signed =
        TestCoseSigner.sign(
            iotClaims(kp, 0x3000, nonce), CoseAlgorithm.ES256, kp.getPrivate(), true);
    Claims c =
        verifier.verify(
            signed,
            VerificationContext.expectingNonce(AT, nonce).trustedKey(kp.getPublic()).build());
    assertThat(c.raw())
        .containsEntry("profile", "PSA_IOT_PROFILE_1")
        .containsEntry("clientId", -1L);
    assertThat(c.deviceIdentity()).isEqualTo(HEX.formatHex(instanceId(kp.getPublic(), "SHA-256")));
    assertThat(c.measurements()).containsEntry("BL", "11".repeat(32));
    assertThat(c.tcb()).containsEntry("BL.version", "1.0.0").containsEntry("lifecycle", "secured");
    assertThat(c.reportData()).isEqualTo(nonce);
    assertThat(c.debug()).isFalse();
  }

  @Test
  void debugAndNonSecuredLifecyclesAreFlagged() throws Exception {
    KeyPair kp = TestCoseSigner.generate(CoseAlgorithm.ES256);
    byte[] nonce = new byte[32];
    VerificationContext ctx = withKey(kp.getPublic());
    Claims debug =
        verifier.verify(
            TestCoseSigner.sign(
                iotClaims(kp, 0x5000, nonce), CoseAlgorithm.ES256, kp.getPrivate(), false),
            ctx);
    assertThat(debug.debug()).isTrue();
    assertThat(debug.insecureFlags()).containsExactly("psa.lifecycle.recoverable-psa-rot-debug");
    assertThat(debug.trustworthiness().get(Trustworthiness.Claim.EXECUTABLES))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
    Claims decommissioned =
        verifier.verify(
            TestCoseSigner.sign(
                iotClaims(kp, 0x6000, nonce), CoseAlgorithm.ES256, kp.getPrivate(), false),
            ctx);
    assertThat(decommissioned.debug()).isFalse();
    assertThat(decommissioned.insecureFlags()).containsExactly("psa.lifecycle.decommissioned");
    assertThat(decommissioned.trustworthiness().tier())
        .isEqualTo(Trustworthiness.Tier.CONTRAINDICATED);
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void profile2TokensVerifyOnEveryCurve(CoseAlgorithm alg) throws Exception {
    // Tokens signed here with test keys, for the curves the TF-M vector does not use.
    KeyPair kp = TestCoseSigner.generate(alg);
    String hash =
        alg == CoseAlgorithm.ES256 ? "SHA-256" : alg == CoseAlgorithm.ES384 ? "SHA-384" : "SHA-512";
    Map<CborValue, CborValue> m = new LinkedHashMap<>();
    m.put(CborValue.Int.of(265), new CborValue.Text("http://arm.com/psa/2.0.0"));
    m.put(CborValue.Int.of(10), new CborValue.Bytes(new byte[48]));
    m.put(CborValue.Int.of(256), new CborValue.Bytes(instanceId(kp.getPublic(), hash)));
    m.put(CborValue.Int.of(2396), new CborValue.Bytes(new byte[32]));
    m.put(CborValue.Int.of(2395), CborValue.Int.of(0x3000));
    m.put(CborValue.Int.of(2394), CborValue.Int.of(1));
    m.put(CborValue.Int.of(2399), components());
    byte[] signed =
        TestCoseSigner.sign(
            CborEncoder.encode(new CborValue.MapValue(m)), alg, kp.getPrivate(), true);
    Claims c = verifier.verify(signed, withKey(kp.getPublic()));
    assertThat(c.raw()).containsEntry("algorithm", alg.name());
    assertIds(
        () -> verifier.verify(signed, withKey(TestCoseSigner.generate(alg).getPublic())),
        "psa.key.unknown");
  }

  static byte[] iotClaims(KeyPair kp, int lifecycle, byte[] nonce) throws Exception {
    Map<CborValue, CborValue> m = new LinkedHashMap<>();
    m.put(CborValue.Int.of(-75000), new CborValue.Text("PSA_IOT_PROFILE_1"));
    m.put(CborValue.Int.of(-75001), CborValue.Int.of(-1));
    m.put(CborValue.Int.of(-75002), CborValue.Int.of(lifecycle));
    m.put(CborValue.Int.of(-75003), new CborValue.Bytes(new byte[32]));
    m.put(CborValue.Int.of(-75004), new CborValue.Bytes(new byte[32]));
    m.put(CborValue.Int.of(-75005), new CborValue.Text("0604565272829"));
    m.put(CborValue.Int.of(-75006), components());
    m.put(CborValue.Int.of(-75008), new CborValue.Bytes(nonce));
    m.put(CborValue.Int.of(-75009), new CborValue.Bytes(instanceId(kp.getPublic(), "SHA-256")));
    m.put(CborValue.Int.of(-75010), new CborValue.Text("https://psa-verifier.example"));
    return CborEncoder.encode(new CborValue.MapValue(m));
  }

  static CborValue components() {
    byte[] measurement = new byte[32];
    Arrays.fill(measurement, (byte) 0x11);
    Map<CborValue, CborValue> c = new LinkedHashMap<>();
    c.put(CborValue.Int.of(1), new CborValue.Text("BL"));
    c.put(CborValue.Int.of(2), new CborValue.Bytes(measurement));
    c.put(CborValue.Int.of(4), new CborValue.Text("1.0.0"));
    c.put(CborValue.Int.of(5), new CborValue.Bytes(new byte[32]));
    return new CborValue.Array(List.of(new CborValue.MapValue(c)));
  }

  static byte[] instanceId(PublicKey key, String hash) throws Exception {
    byte[] h = MessageDigest.getInstance(hash).digest(EcKeys.uncompressedPoint((ECPublicKey) key));
    byte[] id = new byte[h.length + 1];
    id[0] = 0x01;
    System.arraycopy(h, 0, id, 1, h.length);
    return id;
  }

  @Test
  void aTokenOverTheSizeLimitIsRefusedAndOneAtTheLimitIsParsed() throws Exception {
    VerificationContext ctx = withKey(tfmKey());
    assertIds(
        () -> verifier.verify(new byte[PsaVerifier.MAX_BYTES + 1], ctx), "psa.token.too-large");
    assertIds(
        () -> verifier.verify(new byte[PsaVerifier.MAX_BYTES], ctx), "psa.cbor.trailing-bytes");
  }
}
