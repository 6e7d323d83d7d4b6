// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.hpke.HpkeSuite;
import dev.arca.crypto.seal.DataKey;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The binary form of a wrapped key: kem, kdf, aead ids (big-endian), enc, then exactly the data
 * key's ciphertext and tag; and the inputs decode refuses.
 */
class WrappedKeyTest {
  static final byte[] ENC = filled(32, 0x11);
  private final SecureRandom rnd = new SecureRandom();
  private final KeyReleaseInfo info = KeyReleaseInfo.of("g", "m", 1, new byte[32]);

  static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private byte[] wrapped() throws Exception {
    HpkePrivateKey runtime = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, rnd);
    return KeyRelease.wrap(DataKey.generate(), runtime.publicKey(), info, rnd).encode();
  }

  @Test
  void decodeReadsWhatEncodeWrote() throws Exception {
    byte[] good = wrapped();
    assertThat(WrappedKey.decode(good).encode()).isEqualTo(good);
  }

  @Test
  void encodingIsThreeBigEndianIdsThenEncThenCiphertext() {
    // EXPORT_ONLY (0xFFFF) is the one registered id with a high byte, so it shows both bytes.
    HpkeSuite suite =
        HpkeSuite.of(HpkeKem.DHKEM_X25519_HKDF_SHA256, HpkeKdf.HKDF_SHA256, HpkeAead.EXPORT_ONLY);
    byte[] ct = filled(20, 0x22);
    byte[] encoded = new WrappedKey(suite, ENC, ct).encode();
    assertThat(Arrays.copyOfRange(encoded, 0, 6))
        .containsExactly(0x00, 0x20, 0x00, 0x01, 0xff, 0xff);
    assertThat(Arrays.copyOfRange(encoded, 6, 38)).isEqualTo(ENC);
    assertThat(Arrays.copyOfRange(encoded, 38, encoded.length)).isEqualTo(ct);
  }

  @Test
  void theCiphertextIsExactlyADataKeyAndItsTag() throws Exception {
    byte[] good = wrapped();
    assertRefused(Arrays.copyOf(good, good.length + 1), HpkeException.BAD_ENCAPSULATION);
    assertRefused(Arrays.copyOf(good, good.length - 1), HpkeException.BAD_ENCAPSULATION);
  }

  @Test
  void anExportOnlySuiteCannotCarryAKey() throws Exception {
    byte[] exportOnly = wrapped();
    exportOnly[4] = (byte) 0xff; // AEAD 0xFFFF: no AEAD, so no ciphertext
    exportOnly[5] = (byte) 0xff;
    assertRefused(exportOnly, HpkeException.UNSUPPORTED_SUITE);
  }

  @Test
  void inputsShorterThanTheSuiteIdsAreTooShort() {
    for (byte[] b : new byte[][] {null, new byte[0], new byte[5]}) {
      assertRefused(b, HpkeException.BAD_ENCAPSULATION);
    }
    // Six bytes are enough to name the suite, so an unknown one is reported as such.
    assertRefused(new byte[] {0, 0x10, 0, 1, 0, 2}, HpkeException.UNSUPPORTED_SUITE);
  }

  private static void assertRefused(byte[] encoded, String id) {
    assertThatThrownBy(() -> WrappedKey.decode(encoded))
        .isInstanceOfSatisfying(HpkeException.class, e -> assertThat(e.id()).isEqualTo(id));
  }
}
