// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import static dev.arca.crypto.Hex.decode;
import static dev.arca.crypto.Hex.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.FixedRandom;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePrivateKey;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9458 Appendix A, reproduced byte for byte from its fixed secret keys and response nonce
 * (vectors/ohttp, see its README), plus the tamper matrix over request, response and key config.
 */
class OhttpAppendixATest {
  static JsonNode v;
  static HpkePrivateKey skR;
  static KeyConfig config;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        OhttpAppendixATest.class.getResourceAsStream("/vectors/ohttp/rfc9458-appendix-a.json")) {
      v = new ObjectMapper().readTree(in);
    }
    skR =
        HpkePrivateKey.of(
            HpkeKem.DHKEM_X25519_HKDF_SHA256,
            decode(v.get("gateway_secret_key_skR").asText()),
            InsecureSecretKeyAccess.get());
    config = KeyConfig.decode(decode(v.get("key_config").asText()));
  }

  private static String hex(String field) {
    return v.get(field).asText();
  }

  @Test
  void keyConfigDecodesAndReEncodesExactly() throws Exception {
    assertThat(config.keyId()).isEqualTo(1);
    assertThat(config.kem()).isEqualTo(HpkeKem.DHKEM_X25519_HKDF_SHA256);
    assertThat(config.publicKey()).isEqualTo(skR.publicKey());
    assertThat(config.algorithms())
        .containsExactly(
            KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_128_GCM),
            KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.CHACHA20_POLY1305));
    assertThat(encode(config.encode())).isEqualTo(hex("key_config"));
    byte[] list = KeyConfig.encodeList(List.of(config));
    assertThat(KeyConfig.decodeList(list)).containsExactly(config);
  }

  @Test
  void clientReproducesTheEncapsulatedRequest() throws Exception {
    FixedRandom random = new FixedRandom(decode(hex("client_ephemeral_secret_key_skE")));
    OhttpClient.Request req =
        OhttpClient.encapsulateRequest(
            config,
            HpkeKdf.HKDF_SHA256,
            HpkeAead.AES_128_GCM,
            decode(hex("request_bhttp")),
            random);
    assertThat(encode(req.encapsulated())).isEqualTo(hex("encapsulated_request"));
    assertThat(encode(OhttpClient.info(OhttpClient.header(1, 0x20, 1, 1))))
        .isEqualTo(hex("hpke_info"));
    // The client opens the RFC's response.
    assertThat(
            encode(
                req.decapsulateResponse(MediaTypes.RESPONSE, decode(hex("encapsulated_response")))))
        .isEqualTo(hex("response_bhttp"));
  }

  @Test
  void gatewayDecapsulatesAndReproducesTheEncapsulatedResponse() throws Exception {
    OhttpGateway gateway = OhttpGateway.of(config, skR);
    OhttpGateway.Request req =
        gateway.decapsulateRequest(MediaTypes.REQUEST, decode(hex("encapsulated_request")));
    assertThat(encode(req.message())).isEqualTo(hex("request_bhttp"));
    assertThat(req.keyId()).isEqualTo(1);
    byte[] response =
        req.encapsulateResponse(
            decode(hex("response_bhttp")), new FixedRandom(decode(hex("response_nonce"))));
    assertThat(encode(response)).isEqualTo(hex("encapsulated_response"));
  }

  @Test
  void roundTripWithRealRandomnessAndChaCha() throws Exception {
    OhttpGateway gateway = OhttpGateway.of(config, skR);
    KeyConfig fetched = KeyConfig.decodeList(gateway.keyConfigs()).get(0);
    SecureRandom rnd = new SecureRandom();
    OhttpClient.Request req =
        OhttpClient.encapsulateRequest(
            fetched, HpkeKdf.HKDF_SHA256, HpkeAead.CHACHA20_POLY1305, new byte[] {1, 2, 3}, rnd);
    OhttpGateway.Request in = gateway.decapsulateRequest(req.encapsulated());
    assertThat(in.message()).containsExactly(1, 2, 3);
    byte[] resp = in.encapsulateResponse(new byte[] {9}, rnd);
    assertThat(req.decapsulateResponse(resp)).containsExactly(9);
  }

  // ---- tamper matrix ----

  @Test
  void everyByteOfTheEncapsulatedRequestIsChecked() throws Exception {
    OhttpGateway gateway = OhttpGateway.of(config, skR);
    byte[] good = decode(hex("encapsulated_request"));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      String expected;
      if (i == 0) {
        expected = "ohttp.unknown-key-id";
      } else if (i < 7) {
        expected = "ohttp.unsupported-algorithm"; // KEM, KDF or AEAD id
      } else {
        expected = "ohttp.request-decrypt-failed"; // enc or ciphertext
      }
      int at = i;
      assertThatThrownBy(() -> gateway.decapsulateRequest(bad))
          .as("byte %d", at)
          .isInstanceOfSatisfying(
              OhttpException.class, e -> assertThat(e.id()).isEqualTo(expected));
    }
    for (int len = 0; len < 7 + 32 + 16; len++) {
      byte[] cut = java.util.Arrays.copyOf(good, len);
      assertThatThrownBy(() -> gateway.decapsulateRequest(cut))
          .isInstanceOfSatisfying(
              OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-request"));
    }
    assertThatThrownBy(() -> gateway.decapsulateRequest("message/ohttp-res", good))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-media-type"));
    assertThatThrownBy(() -> gateway.decapsulateRequest(null, good))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-media-type"));
    // A small-order enc (u = 0) is refused as a bad encapsulation.
    byte[] zeroEnc = good.clone();
    java.util.Arrays.fill(zeroEnc, 7, 39, (byte) 0);
    assertThatThrownBy(() -> gateway.decapsulateRequest(zeroEnc))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-encapsulation"));
  }

  @Test
  void everyByteOfTheEncapsulatedResponseIsChecked() throws Exception {
    byte[] good = decode(hex("encapsulated_response"));
    for (int i = 0; i < good.length; i++) {
      OhttpClient.Request req = freshClientRequest();
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThatThrownBy(() -> req.decapsulateResponse(MediaTypes.RESPONSE, bad))
          .as("byte %d", at)
          .isInstanceOfSatisfying(
              OhttpException.class,
              e -> assertThat(e.id()).isEqualTo("ohttp.response-decrypt-failed"));
    }
    OhttpClient.Request req = freshClientRequest();
    assertThatThrownBy(() -> req.decapsulateResponse(java.util.Arrays.copyOf(good, 31)))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-response"));
    assertThatThrownBy(() -> freshClientRequest().decapsulateResponse("text/plain", good))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-media-type"));
  }

  private static OhttpClient.Request freshClientRequest() throws Exception {
    return OhttpClient.encapsulateRequest(
        config,
        HpkeKdf.HKDF_SHA256,
        HpkeAead.AES_128_GCM,
        decode(hex("request_bhttp")),
        new FixedRandom(decode(hex("client_ephemeral_secret_key_skE"))));
  }

  @Test
  void everyByteOfTheKeyConfigIsChecked() throws Exception {
    OhttpGateway gateway = OhttpGateway.of(config, skR);
    byte[] good = decode(hex("key_config"));
    // Layout: key id (1) | KEM (2) | public key (32) | algorithms length (2) | 2 x (KDF, AEAD).
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      int at = i;
      if (i >= 1 && i < 3) {
        assertThatThrownBy(() -> KeyConfig.decode(bad))
            .as("byte %d", at)
            .isInstanceOfSatisfying(
                OhttpException.class,
                e -> assertThat(e.id()).isEqualTo("ohttp.unsupported-algorithm"));
        continue;
      }
      if (i >= 35 && i < 37) {
        assertThatThrownBy(() -> KeyConfig.decode(bad))
            .as("byte %d", at)
            .isInstanceOfSatisfying(
                OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-key-config"));
        continue;
      }
      KeyConfig tampered = KeyConfig.decode(bad);
      if (i >= 37) {
        // The flipped pair is no longer (HKDF-SHA256, AES-128-GCM) / (HKDF-SHA256, ChaCha20).
        HpkeAead aead = i < 41 ? HpkeAead.AES_128_GCM : HpkeAead.CHACHA20_POLY1305;
        assertThatThrownBy(
                () ->
                    OhttpClient.encapsulateRequest(
                        tampered, HpkeKdf.HKDF_SHA256, aead, new byte[1], new SecureRandom()))
            .as("byte %d", at)
            .isInstanceOfSatisfying(
                OhttpException.class,
                e -> assertThat(e.id()).isEqualTo("ohttp.unsupported-algorithm"));
        continue;
      }
      String expected = i == 0 ? "ohttp.unknown-key-id" : "ohttp.request-decrypt-failed";
      OhttpClient.Request req =
          OhttpClient.encapsulateRequest(
              tampered, HpkeKdf.HKDF_SHA256, HpkeAead.AES_128_GCM, new byte[1], new SecureRandom());
      assertThatThrownBy(() -> gateway.decapsulateRequest(req.encapsulated()))
          .as("byte %d", at)
          .isInstanceOfSatisfying(
              OhttpException.class, e -> assertThat(e.id()).isEqualTo(expected));
    }
    assertThatThrownBy(() -> KeyConfig.decode(java.util.Arrays.copyOf(good, good.length - 1)))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-key-config"));
    assertThatThrownBy(() -> KeyConfig.decode(java.util.Arrays.copyOf(good, good.length + 1)))
        .isInstanceOfSatisfying(
            OhttpException.class, e -> assertThat(e.id()).isEqualTo("ohttp.bad-key-config"));
  }
}
