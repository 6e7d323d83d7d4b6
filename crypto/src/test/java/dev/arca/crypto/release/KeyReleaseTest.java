// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.hpke.HpkeSuite;
import dev.arca.crypto.seal.DataKey;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyReleaseTest {
  final SecureRandom rnd = new SecureRandom();
  final byte[] digest = new byte[32];

  @Test
  void unwrapsOnlyForTheSameRuntimeKeyGrantModelVersionAndManifest() throws Exception {
    HpkePrivateKey runtime = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, rnd);
    DataKey key = DataKey.generate();
    KeyReleaseInfo info = KeyReleaseInfo.of("grant-1", "fraud", 3, digest);
    for (HpkeSuite suite :
        new HpkeSuite[] {
          HpkeSuite.X25519_SHA256_AES256GCM, HpkeSuite.X25519_SHA256_CHACHA20POLY1305
        }) {
      WrappedKey w = KeyRelease.wrap(suite, key, runtime.publicKey(), info, rnd);
      WrappedKey decoded = WrappedKey.decode(w.encode());
      assertThat(decoded.suite()).isEqualTo(suite);
      assertThat(KeyRelease.unwrap(decoded, runtime, info).sameKeyAs(key)).isTrue();

      KeyReleaseInfo[] others = {
        KeyReleaseInfo.of("grant-2", "fraud", 3, digest),
        KeyReleaseInfo.of("grant-1", "fraud2", 3, digest),
        KeyReleaseInfo.of("grant-1", "fraud", 4, digest),
        KeyReleaseInfo.of(
            "grant-1",
            "fraud",
            3,
            new byte[] {
              1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0, 0, 0
            }),
      };
      for (KeyReleaseInfo other : others) {
        assertThatThrownBy(() -> KeyRelease.unwrap(decoded, runtime, other))
            .isInstanceOfSatisfying(
                HpkeException.class, e -> assertThat(e.id()).isEqualTo("hpke.open-failed"));
      }
      HpkePrivateKey stranger = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, rnd);
      assertThatThrownBy(() -> KeyRelease.unwrap(decoded, stranger, info))
          .isInstanceOfSatisfying(
              HpkeException.class, e -> assertThat(e.id()).isEqualTo("hpke.open-failed"));
    }
  }

  @Test
  void everyByteOfAWrappedKeyIsChecked() throws Exception {
    HpkePrivateKey runtime = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, rnd);
    KeyReleaseInfo info = KeyReleaseInfo.of("g", "m", 1, digest);
    byte[] good = KeyRelease.wrap(DataKey.generate(), runtime.publicKey(), info, rnd).encode();
    assertThat(good).hasSize(6 + 32 + 32 + 16);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      String expected = i < 6 ? "hpke.unsupported-suite" : "hpke.open-failed";
      if (i == 5) {
        expected = "hpke.open-failed"; // AEAD 0x0002 -> 0x0003 (ChaCha20): a valid suite, wrong key
      }
      String exp = expected;
      int at = i;
      assertThatThrownBy(() -> KeyRelease.unwrap(WrappedKey.decode(bad), runtime, info))
          .as("byte %d", at)
          .isInstanceOfSatisfying(HpkeException.class, e -> assertThat(e.id()).isEqualTo(exp));
    }
    assertThatThrownBy(() -> WrappedKey.decode(java.util.Arrays.copyOf(good, 50)))
        .isInstanceOfSatisfying(
            HpkeException.class, e -> assertThat(e.id()).isEqualTo("hpke.bad-encapsulation"));
  }

  @Test
  void infoEncodingIsInjective() {
    // "ab" + "c" must not collide with "a" + "bc": length prefixes keep them apart.
    assertThat(KeyReleaseInfo.of("ab", "c", 1, digest).bytes())
        .isNotEqualTo(KeyReleaseInfo.of("a", "bc", 1, digest).bytes());
  }
}
