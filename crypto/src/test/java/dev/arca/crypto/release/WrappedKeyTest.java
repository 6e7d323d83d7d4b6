package dev.arca.crypto.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.seal.DataKey;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wrapped key encoding: kem, kdf, aead ids, enc, then exactly the key's ciphertext. */
class WrappedKeyTest {
  private final SecureRandom rnd = new SecureRandom();
  private final KeyReleaseInfo info = KeyReleaseInfo.of("g", "m", 1, new byte[32]);

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

  private static void assertRefused(byte[] encoded, String id) {
    assertThatThrownBy(() -> WrappedKey.decode(encoded))
        .isInstanceOfSatisfying(HpkeException.class, e -> assertThat(e.id()).isEqualTo(id));
  }
}
