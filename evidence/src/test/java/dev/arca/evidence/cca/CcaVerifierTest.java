// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceFiles;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.CoseException;
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
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CcaVerifierTest {
  /** CCA tokens carry no validity period; any time works. */
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private static final HexFormat HEX = HexFormat.of();
  private final CcaVerifier verifier = new CcaVerifier();
  private final byte[] token = resource("cca/cca_token.cbor");

  static byte[] resource(String name) {
    try (InputStream in = CcaVerifierTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    } catch (Exception e) {
      throw new IllegalStateException(name, e);
    }
  }

  static PublicKey platformKey() throws Exception {
    return EvidenceFiles.publicKey(
        new String(resource("cca/cca_platform.pub"), StandardCharsets.US_ASCII),
        Path.of("cca_platform.pub"));
  }

  private static VerificationContext withKey(PublicKey key) {
    return VerificationContext.insecureWithoutBinding(AT).trustedKey(key).build();
  }

  private static void assertIds(ThrowingCallable call, String... ids) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly(ids));
  }

  private static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  @Test
  void tfRmmTokenVerifiesWithBothTokensBoundTogether() throws Exception {
    Claims c =
        verifier.verify(
            token,
            VerificationContext.expectingNonce(AT, filled(64, 0xab))
                .trustedKey(platformKey())
                .build());
    assertThat(c.format()).isEqualTo("cca");
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.deviceIdentity())
        .isEqualTo("0107060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a1918");
    assertThat(c.reportData()).isEqualTo(filled(64, 0xab));
    assertThat(c.debug()).isFalse();
    assertThat(c.insecureFlags()).isEmpty();
    String ramp = "0706050403020100" + "0f0e0d0c0b0a0908" + "1716151413121110" + "1f1e1d1c1b1a1918";
    assertThat(c.measurements())
        .containsEntry("rim", "00".repeat(32))
        .containsEntry("rem0", "00".repeat(32))
        .containsEntry("rem3", "00".repeat(32))
        .containsEntry(
            "personalization",
            HEX.formatHex(
                "The quick brown fox jumps over 13 lazy dogs.The quick brown fox "
                    .getBytes(StandardCharsets.US_ASCII)))
        .containsEntry("platform.BL", ramp)
        .containsEntry("platform.M1", ramp)
        .containsEntry("platform.M3", ramp);
    assertThat(c.tcb())
        .containsEntry("lifecycle", "secured")
        .containsEntry("platform.BL.version", "3.4.2")
        .containsEntry("platform.M2.version", "1.2.3");
    assertThat(c.raw())
        .containsEntry("platformProfile", "http://arm.com/CCA-SSD/1.0.0")
        .containsEntry("platformAlgorithm", "ES384")
        .containsEntry("realmAlgorithm", "ES384")
        .containsEntry("platformLifecycle", 12291)
        .containsEntry("platformHashAlgorithm", "sha-256")
        .containsEntry("realmHashAlgorithm", "sha-256")
        .containsEntry("realmPublicKeyHashAlgorithm", "sha-256")
        .containsEntry("platformVerificationService", "whatever.com")
        .containsEntry(
            "platformChallenge",
            "b5973cb68baa9fc55558786b7ec67f69e40df5ba5aa921cd0c27f40587a011ea");
    assertThat((String) c.raw().get("realmPublicKey")).startsWith("0476f988091be585").hasSize(194);
    assertThat(c.trustworthiness().tier()).isEqualTo(Trustworthiness.Tier.AFFIRMING);
    assertThat(BuiltinFormats.registry().require("cca")).isInstanceOf(CcaVerifier.class);
  }

  @Test
  void wrongNonceAndReportDataAreBothReported() throws Exception {
    byte[] other = filled(64, 0xac);
    assertIds(
        () ->
            verifier.verify(
                token,
                VerificationContext.expectingNonce(AT, other).trustedKey(platformKey()).build()),
        "cca.nonce.mismatch");
    assertIds(
        () ->
            verifier.verify(
                token,
                VerificationContext.expectingReportData(AT, other)
                    .trustedKey(platformKey())
                    .build()),
        "cca.report-data.mismatch");
  }

  @Test
  void unknownAndMissingPlatformKeys() throws Exception {
    PublicKey other = TestCoseSigner.generate(CoseAlgorithm.ES384).getPublic();
    // Without a key id an untrusted key cannot be told from an altered token (see CcaVerifier).
    assertIds(() -> verifier.verify(token, withKey(other)), "cca.platform.signature.invalid");
    assertIds(
        () -> verifier.verify(token, VerificationContext.insecureWithoutBinding(AT).build()),
        "cca.platform.key.missing");
  }

  @Test
  void everyFlippedByteIsRejectedAndSignaturesFailByName() throws Exception {
    VerificationContext ctx = withKey(platformKey());
    int platformEnd = 10 + 0x293; // tag (3) + map head (1) + key (3) + bstr head (3) + 0x293
    for (int i = 0; i < token.length; i++) {
      byte[] bad = token.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThatThrownBy(() -> verifier.verify(bad, ctx))
          .as("flip at byte %d", at)
          .isInstanceOfSatisfying(
              EvidenceException.class,
              e -> {
                assertThat(e.ids()).isNotEmpty().allMatch(id -> id.startsWith("cca."));
                if (at >= platformEnd - 96 && at < platformEnd) {
                  assertThat(e.ids()).containsExactly("cca.platform.signature.invalid");
                }
                if (at >= token.length - 96) {
                  assertThat(e.ids()).containsExactly("cca.realm.signature.invalid");
                }
              });
    }
  }

  @Test
  void truncatedTokenAndOverLongLengthHaveTheirOwnIds() throws Exception {
    VerificationContext ctx = withKey(platformKey());
    assertThat(HEX.formatHex(token, 0, 10)).isEqualTo("d9018fa219acca590293");
    // Cut after the platform token: the two-entry map ends early.
    assertIds(() -> verifier.verify(Arrays.copyOf(token, 10 + 0x293), ctx), "cca.cbor.truncated");
    byte[] overLong = token.clone();
    overLong[8] = (byte) 0xff;
    overLong[9] = (byte) 0xff;
    assertIds(() -> verifier.verify(overLong, ctx), "cca.cbor.length-too-large");
  }

  @Test
  void realmTokenNotBoundToThePlatformIsRejected() throws Exception {
    // Tokens built here with test keys: a realm whose RAK hash is not the platform challenge.
    KeyPair platform = TestCoseSigner.generate(CoseAlgorithm.ES384);
    KeyPair rak = TestCoseSigner.generate(CoseAlgorithm.ES384);
    byte[] rakPoint = EcKeys.uncompressedPoint((ECPublicKey) rak.getPublic());
    byte[] bound = MessageDigest.getInstance("SHA-256").digest(rakPoint);
    VerificationContext ctx = withKey(platform.getPublic());

    Claims ok = verifier.verify(build(platform, rak, bound, 0x3000), ctx);
    assertThat(ok.debug()).isFalse();

    byte[] unbound = bound.clone();
    unbound[0] ^= 1;
    assertIds(
        () -> verifier.verify(build(platform, rak, unbound, 0x3000), ctx),
        "cca.binding.rak-hash-mismatch");

    Claims debug = verifier.verify(build(platform, rak, bound, 0x5000), ctx);
    assertThat(debug.debug()).isTrue();
    assertThat(debug.insecureFlags()).containsExactly("cca.lifecycle.recoverable-psa-rot-debug");
    assertThat(debug.trustworthiness().tier()).isEqualTo(Trustworthiness.Tier.CONTRAINDICATED);
  }

  @Test
  void reportDataShorterThanTheChallengeIsItsZeroPaddedPrefix() throws Exception {
    // The vector's realm challenge is 64 bytes of 0xab: 32 of them plus 32 zeros is not it, and
    // the 64 bytes themselves are.
    PublicKey key = platformKey();
    byte[] half = filled(32, 0xab);
    assertIds(
        () ->
            verifier.verify(
                token, VerificationContext.expectingReportData(AT, half).trustedKey(key).build()),
        "cca.report-data.mismatch");
    assertThat(
            verifier
                .verify(
                    token,
                    VerificationContext.expectingReportData(AT, filled(64, 0xab))
                        .trustedKey(key)
                        .build())
                .reportData())
        .isEqualTo(filled(64, 0xab));
  }

  static byte[] build(KeyPair platform, KeyPair rak, byte[] platformChallenge, int lifecycle)
      throws Exception {
    byte[] rakPoint = EcKeys.uncompressedPoint((ECPublicKey) rak.getPublic());
    Map<CborValue, CborValue> r = new LinkedHashMap<>();
    r.put(CborValue.Int.of(10), new CborValue.Bytes(filled(64, 0xab)));
    r.put(CborValue.Int.of(44235), new CborValue.Bytes(new byte[64]));
    r.put(CborValue.Int.of(44236), new CborValue.Text("sha-256"));
    r.put(CborValue.Int.of(44237), new CborValue.Bytes(rakPoint));
    r.put(CborValue.Int.of(44238), new CborValue.Bytes(new byte[32]));
    r.put(
        CborValue.Int.of(44239),
        new CborValue.Array(
            List.of(
                new CborValue.Bytes(new byte[32]),
                new CborValue.Bytes(new byte[32]),
                new CborValue.Bytes(new byte[32]),
                new CborValue.Bytes(new byte[32]))));
    r.put(CborValue.Int.of(44240), new CborValue.Text("sha-256"));
    Map<CborValue, CborValue> component = new LinkedHashMap<>();
    component.put(CborValue.Int.of(1), new CborValue.Text("BL"));
    component.put(CborValue.Int.of(2), new CborValue.Bytes(new byte[32]));
    Map<CborValue, CborValue> p = new LinkedHashMap<>();
    p.put(CborValue.Int.of(265), new CborValue.Text("http://arm.com/CCA-SSD/1.0.0"));
    p.put(CborValue.Int.of(10), new CborValue.Bytes(platformChallenge));
    p.put(CborValue.Int.of(256), new CborValue.Bytes(filled(33, 1)));
    p.put(CborValue.Int.of(2396), new CborValue.Bytes(new byte[32]));
    p.put(CborValue.Int.of(2395), CborValue.Int.of(lifecycle));
    p.put(CborValue.Int.of(2399), new CborValue.Array(List.of(new CborValue.MapValue(component))));
    byte[] realmToken =
        TestCoseSigner.sign(
            CborEncoder.encode(new CborValue.MapValue(r)),
            CoseAlgorithm.ES384,
            rak.getPrivate(),
            true);
    byte[] platformToken =
        TestCoseSigner.sign(
            CborEncoder.encode(new CborValue.MapValue(p)),
            CoseAlgorithm.ES384,
            platform.getPrivate(),
            true);
    Map<CborValue, CborValue> outer = new LinkedHashMap<>();
    outer.put(CborValue.Int.of(44234), new CborValue.Bytes(platformToken));
    outer.put(CborValue.Int.of(44241), new CborValue.Bytes(realmToken));
    byte[] encoded = CborEncoder.encode(new CborValue.Tag(399, new CborValue.MapValue(outer)));
    CborDecoder.strict().decode(encoded); // well-formed by construction
    return encoded;
  }

  /** An EC2 COSE_Key (kty 2) for {@code key} on curve {@code crv} with coordinates of n bytes. */
  private static byte[] coseKey(long kty, long crv, ECPublicKey key, int n) {
    Map<CborValue, CborValue> m = new LinkedHashMap<>();
    m.put(CborValue.Int.of(1), CborValue.Int.of(kty));
    m.put(CborValue.Int.of(-1), CborValue.Int.of(crv));
    m.put(CborValue.Int.of(-2), new CborValue.Bytes(fixed(key.getW().getAffineX(), n)));
    m.put(CborValue.Int.of(-3), new CborValue.Bytes(fixed(key.getW().getAffineY(), n)));
    return CborEncoder.encode(new CborValue.MapValue(m));
  }

  private static byte[] fixed(java.math.BigInteger v, int n) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[n];
    int len = Math.min(b.length, n);
    System.arraycopy(b, b.length - len, out, n - len, len);
    return out;
  }

  private static ECPublicKey ecKey(String curve) throws Exception {
    var g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec(curve));
    return (ECPublicKey) g.generateKeyPair().getPublic();
  }

  @Test
  void aRakGivenAsCoseKeyIsReadOnItsCurve() throws Exception {
    ECPublicKey p384 = ecKey("secp384r1");
    assertThat(CcaVerifier.rak(coseKey(2, 2, p384, 48), CoseAlgorithm.ES384)).isEqualTo(p384);
    ECPublicKey p256 = ecKey("secp256r1");
    assertThat(CcaVerifier.rak(coseKey(2, 1, p256, 32), CoseAlgorithm.ES384)).isEqualTo(p256);
  }

  @Test
  void aRakCoseKeyThatIsNotEc2IsRefused() throws Exception {
    byte[] okp = coseKey(1, 2, ecKey("secp384r1"), 48);
    assertThatThrownBy(() -> CcaVerifier.rak(okp, CoseAlgorithm.ES384))
        .isInstanceOfSatisfying(
            CoseException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(CoseException.Reason.KEY_MISMATCH);
              assertThat(e.getMessage()).isEqualTo("the RAK is not an EC2 key");
            });
  }

  @Test
  void anEmptyRakIsNeitherPointNorCoseKey() {
    assertThatThrownBy(() -> CcaVerifier.rak(new byte[0], CoseAlgorithm.ES384))
        .isInstanceOfSatisfying(
            CoseException.class,
            e -> assertThat(e.reason()).isEqualTo(CoseException.Reason.KEY_MISMATCH));
  }

  @Test
  void aTokenOverTheSizeLimitIsRefusedAndOneAtTheLimitIsParsed() throws Exception {
    VerificationContext ctx = withKey(platformKey());
    assertIds(
        () -> verifier.verify(new byte[CcaVerifier.MAX_BYTES + 1], ctx), "cca.token.too-large");
    assertIds(
        () -> verifier.verify(new byte[CcaVerifier.MAX_BYTES], ctx), "cca.cbor.trailing-bytes");
  }
}
