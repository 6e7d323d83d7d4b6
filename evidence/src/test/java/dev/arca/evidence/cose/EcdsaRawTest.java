// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.cbor.CborDecoder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * COSE ECDSA on Bouncy Castle's lightweight API with remembered keys: a key seen before still
 * checks every signature for real, and the signature rules are those of the JCA check it replaced.
 */
class EcdsaRawTest {
  private static final byte[] PAYLOAD = "measured".getBytes(StandardCharsets.US_ASCII);
  private final CborDecoder decoder = CborDecoder.strict();

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void aRememberedKeyStillRefusesTamperedSignaturesPayloadsAndOtherKeys(CoseAlgorithm alg)
      throws Exception {
    KeyPair kp = TestCoseSigner.generate(alg);
    byte[] token = TestCoseSigner.sign(PAYLOAD, alg, kp.getPrivate(), true);
    CoseSign1 msg = CoseSign1.decode(token, decoder);
    msg.verify(kp.getPublic());
    msg.verify(kp.getPublic());
    // The second lookup is a hit: the same decoded key (with its precomputation) is returned.
    assertThat(EcdsaRaw.key(kp.getPublic(), alg)).isSameAs(EcdsaRaw.key(kp.getPublic(), alg));

    byte[] badSignature = token.clone();
    badSignature[badSignature.length - 1] ^= 0x01;
    assertInvalid(() -> CoseSign1.decode(badSignature, decoder).verify(kp.getPublic()));
    byte[] otherPayload =
        TestCoseSigner.sign(
            "other".getBytes(StandardCharsets.US_ASCII), alg, kp.getPrivate(), true);
    CoseSign1 other = CoseSign1.decode(otherPayload, decoder);
    ECPublicKeyParameters key = EcdsaRaw.key(kp.getPublic(), alg);
    assertThat(EcdsaRaw.verify(key, alg, other.sigStructure(), msg.signature())).isFalse();
    assertInvalid(() -> msg.verify(TestCoseSigner.generate(alg).getPublic()));
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void rAndSMustBeInOneToNMinusOneButHighSIsAccepted(CoseAlgorithm alg) throws Exception {
    KeyPair kp = TestCoseSigner.generate(alg);
    CoseSign1 msg =
        CoseSign1.decode(TestCoseSigner.sign(PAYLOAD, alg, kp.getPrivate(), false), decoder);
    ECPublicKeyParameters key = EcdsaRaw.key(kp.getPublic(), alg);
    int n = alg.coordinateBytes();
    byte[] sig = msg.signature();
    BigInteger order = key.getParameters().getN();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, n));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, n, 2 * n));
    byte[] signed = msg.sigStructure();

    assertThat(EcdsaRaw.verify(key, alg, signed, sig)).isTrue();
    // ECDSA's other valid signature (r, n - s): the JCA accepted it too, COSE does not forbid it.
    assertThat(EcdsaRaw.verify(key, alg, signed, raw(r, order.subtract(s), n))).isTrue();
    assertThat(EcdsaRaw.verify(key, alg, signed, raw(BigInteger.ZERO, s, n))).isFalse();
    assertThat(EcdsaRaw.verify(key, alg, signed, raw(r, BigInteger.ZERO, n))).isFalse();
    assertThat(EcdsaRaw.verify(key, alg, signed, raw(order, s, n))).isFalse();
    assertThat(EcdsaRaw.verify(key, alg, signed, raw(r, order, n))).isFalse();
    assertThat(EcdsaRaw.verify(key, alg, signed, Arrays.copyOf(sig, 2 * n - 1))).isFalse();
    assertThat(EcdsaRaw.verify(key, alg, signed, Arrays.copyOf(sig, 2 * n + 1))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = CoseAlgorithm.class,
      names = {"ES256", "ES384"})
  void aKeyOnAnotherCurveOfTheSameSizeIsAKeyMismatch(CoseAlgorithm alg) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    g.initialize(new ECGenParameterSpec("brainpoolP" + alg.fieldBits() + "r1"));
    KeyPair brainpool = g.generateKeyPair();
    CoseSign1 msg =
        CoseSign1.decode(
            TestCoseSigner.sign(PAYLOAD, alg, TestCoseSigner.generate(alg).getPrivate(), true),
            decoder);

    assertThatThrownBy(() -> msg.verify(brainpool.getPublic()))
        .isInstanceOfSatisfying(
            CoseException.class,
            e -> assertThat(e.reason()).isEqualTo(CoseException.Reason.KEY_MISMATCH));
  }

  private static byte[] raw(BigInteger r, BigInteger s, int n) {
    byte[] out = new byte[2 * n];
    put(r, out, 0, n);
    put(s, out, n, n);
    return out;
  }

  private static void put(BigInteger v, byte[] out, int off, int n) {
    byte[] b = v.toByteArray();
    int copy = Math.min(b.length, n);
    System.arraycopy(b, b.length - copy, out, off + n - copy, copy);
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void assertInvalid(Check check) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            CoseException.class,
            e -> assertThat(e.reason()).isEqualTo(CoseException.Reason.SIGNATURE_INVALID));
  }
}
