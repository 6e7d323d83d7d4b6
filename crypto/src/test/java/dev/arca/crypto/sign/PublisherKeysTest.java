// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PublisherKeysTest {
  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void tinkSignaturesVerifyOnBouncyCastleAndEveryFlipFails(SignatureAlgorithm alg)
      throws Exception {
    PublisherSigningKey key = PublisherSigningKey.generate(alg, "pub-2026-01");
    byte[] data = "manifest bytes".getBytes(StandardCharsets.UTF_8);
    byte[] sig = key.sign(data);
    key.publicKey().verify(sig, data);
    for (int i = 0; i < sig.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = sig.clone();
        bad[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> key.publicKey().verify(bad, data))
            .isInstanceOfSatisfying(
                SignatureException.class,
                e -> assertThat(e.id()).isEqualTo("sign.invalid-signature"));
      }
    }
    byte[] other = "manifest bytez".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> key.publicKey().verify(sig, other))
        .isInstanceOf(SignatureException.class);
    assertThat(key.toString()).contains("redacted");
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void keyRingRoundTripsRotatesAndRefusesRebinding(SignatureAlgorithm alg) throws Exception {
    PublisherSigningKey k1 = PublisherSigningKey.generate(alg, "k1");
    PublisherSigningKey k2 = PublisherSigningKey.generate(alg, "k2");
    PublisherKeyRing ring = PublisherKeyRing.of(k1.publicKey(), k2.publicKey());
    PublisherKeyRing parsed = PublisherKeyRing.fromJson(ring.toJson());
    assertThat(parsed.require("k1")).isEqualTo(k1.publicKey());
    byte[] sig = k2.sign(new byte[] {1});
    parsed.require("k2").verify(sig, new byte[] {1});
    PublisherKeyRing rotated = parsed.without("k1");
    assertThatThrownBy(() -> rotated.require("k1"))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.unknown-key"));
    PublisherSigningKey impostor = PublisherSigningKey.generate(alg, "k2");
    assertThatThrownBy(() -> rotated.with(impostor.publicKey()))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.bad-key-ring"));
    assertThatThrownBy(() -> PublisherKeyRing.fromJson("{\"keys\":[{\"keyId\":\"a\"}]}"))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.bad-key-ring"));
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void signingKeyIsStoredOnlyEncrypted(SignatureAlgorithm alg) throws Exception {
    AeadConfig.register();
    byte[] kekBytes = new byte[32];
    new SecureRandom().nextBytes(kekBytes);
    AesGcmJce kek = new AesGcmJce(kekBytes);
    PublisherSigningKey key = PublisherSigningKey.generate(alg, "k1");
    String json = key.toEncryptedJson(kek);
    assertThat(json).contains("encryptedKeyset");
    PublisherSigningKey back = PublisherSigningKey.fromEncryptedJson("k1", alg, json, kek);
    back.publicKey().verify(key.sign(new byte[] {5}), new byte[] {5});
    assertThat(back.publicKey()).isEqualTo(key.publicKey());
    // Bound to its key id: it will not load under another id.
    assertThatThrownBy(() -> PublisherSigningKey.fromEncryptedJson("k2", alg, json, kek))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.bad-key"));
  }

  @org.junit.jupiter.api.Test
  void malformedPublicKeysAreRefused() {
    byte[] notOnCurve = new byte[65];
    notOnCurve[0] = 4;
    notOnCurve[64] = 1;
    assertThatThrownBy(
            () -> PublisherPublicKey.of("k", SignatureAlgorithm.ECDSA_P256_SHA256, notOnCurve))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.bad-key"));
    assertThatThrownBy(() -> PublisherPublicKey.of("k", SignatureAlgorithm.ED25519, new byte[31]))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.bad-key"));
    assertThatThrownBy(
            () -> PublisherPublicKey.of("bad id!", SignatureAlgorithm.ED25519, new byte[32]))
        .isInstanceOfSatisfying(
            SignatureException.class, e -> assertThat(e.id()).isEqualTo("sign.bad-key"));
  }
}
