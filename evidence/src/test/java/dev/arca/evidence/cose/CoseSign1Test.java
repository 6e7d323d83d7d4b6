// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceFiles;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cbor.CborException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CoseSign1Test {
  private final CborDecoder decoder = CborDecoder.strict();

  static byte[] resource(String name) throws Exception {
    try (var in = CoseSign1Test.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    }
  }

  static PublicKey psaKey() throws Exception {
    return EvidenceFiles.publicKey(
        new String(resource("psa/public.pem"), StandardCharsets.US_ASCII), Path.of("public.pem"));
  }

  @Test
  void verifiesTheTaggedTfmPsaToken() throws Exception {
    CoseSign1 msg = CoseSign1.decode(resource("psa/psa-2_0_0_sign1.bin"), decoder);
    assertThat(msg.tagged()).isTrue();
    assertThat(msg.algorithm()).isEqualTo(CoseAlgorithm.ES256);
    msg.verify(psaKey());
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void signsAndVerifiesEveryCurveTaggedAndUntagged(CoseAlgorithm alg) throws Exception {
    KeyPair kp = TestCoseSigner.generate(alg);
    byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
    for (boolean tagged : new boolean[] {true, false}) {
      CoseSign1 msg =
          CoseSign1.decode(TestCoseSigner.sign(payload, alg, kp.getPrivate(), tagged), decoder);
      assertThat(msg.tagged()).isEqualTo(tagged);
      assertThat(msg.payload()).isEqualTo(payload);
      msg.verify(kp.getPublic());
    }
  }

  @Test
  void sigStructureIsTheRfc9052Encoding() throws Exception {
    CoseSign1 msg =
        CoseSign1.decode(HexFormat.of().parseHex("d28443a10126a04401020304420506"), decoder);
    assertThat(HexFormat.of().formatHex(msg.sigStructure()))
        .isEqualTo("846a5369676e61747572653143a10126404401020304");
  }

  @Test
  void everyFlippedByteOfTheTokenIsRejected() throws Exception {
    byte[] token = resource("psa/psa-2_0_0_sign1.bin");
    PublicKey key = psaKey();
    for (int i = 0; i < token.length; i++) {
      byte[] bad = token.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> CoseSign1.decode(bad, decoder).verify(key))
          .as("flip at byte %d", i)
          .isInstanceOfAny(CoseException.class, CborException.class);
    }
  }

  @Test
  void wrongCurveKeyAndOtherKeyAreRejected() throws Exception {
    CoseSign1 msg = CoseSign1.decode(resource("psa/psa-2_0_0_sign1.bin"), decoder);
    assertThatThrownBy(() -> msg.verify(TestCoseSigner.generate(CoseAlgorithm.ES384).getPublic()))
        .isInstanceOfSatisfying(
            CoseException.class,
            e -> assertThat(e.reason()).isEqualTo(CoseException.Reason.KEY_MISMATCH));
    assertThatThrownBy(() -> msg.verify(TestCoseSigner.generate(CoseAlgorithm.ES256).getPublic()))
        .isInstanceOfSatisfying(
            CoseException.class,
            e -> assertThat(e.reason()).isEqualTo(CoseException.Reason.SIGNATURE_INVALID));
  }

  @Test
  void unsupportedAlgorithmsCriticalHeadersAndDetachedPayloadsAreRefused() {
    // alg -8 (EdDSA), alg missing, crit present, payload nil, wrong tag.
    assertReason("d28443a10127a04401020304420506", CoseException.Reason.UNSUPPORTED_ALGORITHM);
    assertReason("d28441a0a04401020304420506", CoseException.Reason.UNSUPPORTED_ALGORITHM);
    assertReason("d28446a2012602810aa04401020304420506", CoseException.Reason.MALFORMED);
    assertReason("d28443a10126a0f6420506", CoseException.Reason.MALFORMED);
    assertReason("d18443a10126a04401020304420506", CoseException.Reason.MALFORMED);
    assertReason("8343a10126a04401020304", CoseException.Reason.MALFORMED);
  }

  private void assertReason(String hex, CoseException.Reason reason) {
    assertThatThrownBy(() -> CoseSign1.decode(HexFormat.of().parseHex(hex), decoder))
        .as(hex)
        .isInstanceOfSatisfying(CoseException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
