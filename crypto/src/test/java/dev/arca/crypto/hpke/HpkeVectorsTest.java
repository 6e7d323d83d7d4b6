// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import static dev.arca.crypto.Hex.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.FixedRandom;
import dev.arca.crypto.Hex;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RFC 9180 test vector (vectors/hpke, see its README) whose KEM Arca supports (DHKEM(X25519,
 * HKDF-SHA256)): all four modes, AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, all 257
 * encryptions each, and all exports.
 */
class HpkeVectorsTest {
  static List<JsonNode> x25519Vectors() throws Exception {
    try (InputStream in =
        HpkeVectorsTest.class.getResourceAsStream(
            "/vectors/hpke/test-vectors-x25519-p256-sha256.json")) {
      JsonNode all = new ObjectMapper().readTree(in);
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode v : all) {
        if (v.get("kem_id").asInt() == 0x20) {
          out.add(v);
        }
      }
      return out;
    }
  }

  static Stream<JsonNode> vectors() throws Exception {
    return x25519Vectors().stream();
  }

  @Test
  void coversAllModesAndAeadsOfTheX25519Suites() throws Exception {
    // 4 modes x 3 AEADs: if the filtered file changes, this test says so.
    assertThat(x25519Vectors()).hasSize(12);
  }

  @ParameterizedTest(name = "mode {0}")
  @MethodSource("vectors")
  void reproducesVector(JsonNode v) throws Exception {
    HpkeSuite suite =
        HpkeSuite.fromIds(
            v.get("kem_id").asInt(), v.get("kdf_id").asInt(), v.get("aead_id").asInt());
    Hpke hpke = Hpke.of(suite);
    HpkeMode mode = HpkeMode.fromId(v.get("mode").asInt());
    HpkeKem kem = suite.kem();

    HpkePrivateKey skR = HpkeKeyPair.derive(kem, decode(v.get("ikmR").asText()));
    assertSameKey(skR, v.get("skRm").asText());
    assertThat(Hex.encode(skR.publicKey().bytes())).isEqualTo(v.get("pkRm").asText());
    HpkePrivateKey skE = HpkeKeyPair.derive(kem, decode(v.get("ikmE").asText()));
    assertSameKey(skE, v.get("skEm").asText());
    assertThat(Hex.encode(skE.publicKey().bytes())).isEqualTo(v.get("pkEm").asText());

    byte[] info = decode(v.get("info").asText());
    byte[] psk = v.has("psk") ? decode(v.get("psk").asText()) : null;
    byte[] pskId = v.has("psk_id") ? decode(v.get("psk_id").asText()) : null;
    HpkePrivateKey skS = null;
    if (v.has("ikmS")) {
      skS = senderKey(v, kem);
      assertThat(Hex.encode(skS.publicKey().bytes())).isEqualTo(v.get("pkSm").asText());
    }
    Hpke.ModeInputs senderInputs =
        switch (mode) {
          case BASE -> Hpke.ModeInputs.base();
          case PSK -> Hpke.ModeInputs.psk(psk, pskId);
          case AUTH -> Hpke.ModeInputs.authSender(skS);
          case AUTH_PSK -> Hpke.ModeInputs.authPskSender(skS, psk, pskId);
        };
    Hpke.ModeInputs recipientInputs = recipientInputs(v, mode, kem);

    FixedRandom ephemeral = new FixedRandom(decode(v.get("skEm").asText()));
    Hpke.Sender sender;
    if (mode == HpkeMode.BASE) {
      sender = hpke.setupSender(skR.publicKey(), info, senderInputs, ephemeral);
    } else {
      // Bouncy Castle's psk and auth senders take no ephemeral key: they draw it from BC's default
      // SecureRandom, fixed here for this one setup. An empty FixedRandom proves ours is unused.
      CryptoServicesRegistrar.setSecureRandom(ephemeral);
      try {
        sender = hpke.setupSender(skR.publicKey(), info, senderInputs, new FixedRandom());
      } finally {
        CryptoServicesRegistrar.setSecureRandom(null);
      }
    }
    assertThat(ephemeral.exhausted()).as("ephemeral key drawn").isTrue();
    assertThat(Hex.encode(sender.enc())).isEqualTo(v.get("enc").asText());
    HpkeContext recipient = hpke.setupRecipient(sender.enc(), skR, info, recipientInputs);

    int count = 0;
    for (JsonNode e : v.get("encryptions")) {
      byte[] aad = decode(e.get("aad").asText());
      byte[] pt = decode(e.get("pt").asText());
      byte[] ct = sender.context().seal(aad, pt);
      assertThat(Hex.encode(ct)).isEqualTo(e.get("ct").asText());
      assertThat(recipient.open(aad, ct)).isEqualTo(pt);
      count++;
    }
    assertThat(count).isEqualTo(257);
    for (JsonNode x : v.get("exports")) {
      byte[] ctx = decode(x.get("exporter_context").asText());
      int len = x.get("L").asInt();
      assertThat(Hex.encode(sender.context().export(ctx, len)))
          .isEqualTo(x.get("exported_value").asText());
      assertThat(Hex.encode(recipient.export(ctx, len)))
          .isEqualTo(x.get("exported_value").asText());
    }
  }

  /**
   * RFC 9180 section 7.1.2 has SerializePrivateKey clamp X25519 keys, and the vectors list them
   * unclamped: compare with the vector's key serialized the same way.
   */
  private static void assertSameKey(HpkePrivateKey derived, String vectorHex) throws Exception {
    HpkePrivateKey vectorKey =
        HpkePrivateKey.of(derived.kem(), decode(vectorHex), InsecureSecretKeyAccess.get());
    assertThat(Hex.encode(derived.bytes(InsecureSecretKeyAccess.get())))
        .isEqualTo(Hex.encode(vectorKey.bytes(InsecureSecretKeyAccess.get())));
  }

  @ParameterizedTest(name = "mode {0}")
  @MethodSource("vectors")
  void flippedCiphertextOrEncFails(JsonNode v) throws Exception {
    HpkeSuite suite =
        HpkeSuite.fromIds(
            v.get("kem_id").asInt(), v.get("kdf_id").asInt(), v.get("aead_id").asInt());
    HpkeMode mode = HpkeMode.fromId(v.get("mode").asInt());
    Hpke hpke = Hpke.of(suite);
    HpkePrivateKey skR = HpkeKeyPair.derive(suite.kem(), decode(v.get("ikmR").asText()));
    Hpke.ModeInputs inputs = recipientInputs(v, mode, suite.kem());
    byte[] info = decode(v.get("info").asText());
    byte[] enc = decode(v.get("enc").asText());
    JsonNode e0 = v.get("encryptions").get(0);
    byte[] aad = decode(e0.get("aad").asText());
    byte[] ct = decode(e0.get("ct").asText());
    // The genuine inputs open, so each refusal below is the edit's doing.
    assertThat(hpke.setupRecipient(enc, skR, info, inputs).open(aad, ct))
        .isEqualTo(decode(e0.get("pt").asText()));
    for (int i = 0; i < ct.length; i++) {
      byte[] bad = ct.clone();
      bad[i] ^= 0x01;
      assertRefused(
          () -> hpke.setupRecipient(enc, skR, info, inputs).open(aad, bad), "hpke.open-failed");
    }
    byte[] badEnc = enc.clone();
    badEnc[5] ^= 0x01;
    assertRefused(
        () -> hpke.setupRecipient(badEnc, skR, info, inputs).open(aad, ct), "hpke.open-failed");
    assertRefused(
        () -> hpke.setupRecipient(new byte[31], skR, info, inputs), "hpke.bad-encapsulation");
    // u = 0 is a small-order point: DH is all zeros and must be refused (RFC 9180 7.1.4).
    assertRefused(
        () -> hpke.setupRecipient(new byte[32], skR, info, inputs), "hpke.bad-encapsulation");
    byte[] otherInfo = Arrays.copyOf(info, info.length + 1);
    assertRefused(
        () -> hpke.setupRecipient(enc, skR, otherInfo, inputs).open(aad, ct), "hpke.open-failed");
    if (mode.usesPsk()) {
      byte[] otherPsk = decode(v.get("psk").asText());
      otherPsk[0] ^= 0x01;
      Hpke.ModeInputs wrongPsk =
          mode == HpkeMode.PSK
              ? Hpke.ModeInputs.psk(otherPsk, decode(v.get("psk_id").asText()))
              : Hpke.ModeInputs.authPskRecipient(
                  senderKey(v, suite.kem()).publicKey(),
                  otherPsk,
                  decode(v.get("psk_id").asText()));
      assertRefused(
          () -> hpke.setupRecipient(enc, skR, info, wrongPsk).open(aad, ct), "hpke.open-failed");
    }
    if (mode.usesSenderKey()) {
      // Another sender's key: authentication must fail (the recipient's own key stands in).
      Hpke.ModeInputs otherSender =
          mode == HpkeMode.AUTH
              ? Hpke.ModeInputs.authRecipient(skR.publicKey())
              : Hpke.ModeInputs.authPskRecipient(
                  skR.publicKey(), decode(v.get("psk").asText()), decode(v.get("psk_id").asText()));
      assertRefused(
          () -> hpke.setupRecipient(enc, skR, info, otherSender).open(aad, ct), "hpke.open-failed");
    }
  }

  private static void assertRefused(ThrowingCallable call, String id) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(HpkeException.class, x -> assertThat(x.id()).isEqualTo(id));
  }

  private static HpkePrivateKey senderKey(JsonNode v, HpkeKem kem) throws Exception {
    return HpkeKeyPair.derive(kem, decode(v.get("ikmS").asText()));
  }

  /** The recipient's mode inputs of a vector: its psk and the sender's public key where used. */
  private static Hpke.ModeInputs recipientInputs(JsonNode v, HpkeMode mode, HpkeKem kem)
      throws Exception {
    byte[] psk = v.has("psk") ? decode(v.get("psk").asText()) : null;
    byte[] pskId = v.has("psk_id") ? decode(v.get("psk_id").asText()) : null;
    return switch (mode) {
      case BASE -> Hpke.ModeInputs.base();
      case PSK -> Hpke.ModeInputs.psk(psk, pskId);
      case AUTH -> Hpke.ModeInputs.authRecipient(senderKey(v, kem).publicKey());
      case AUTH_PSK -> Hpke.ModeInputs.authPskRecipient(senderKey(v, kem).publicKey(), psk, pskId);
    };
  }
}
