package dev.arca.crypto.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeSuite;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The binary form of a wrapped key: its layout and the shortest inputs decode accepts. */
class WrappedKeyTest {
  static final byte[] ENC = filled(32, 0x11);

  static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  static String id(Throwable e) {
    return ((HpkeException) e).id();
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
  void theShortestWellFormedKeyIsEncPlusATag() throws Exception {
    byte[] encoded = new byte[6 + 32 + 16];
    byte[] ids = {0x00, 0x20, 0x00, 0x01, 0x00, 0x02};
    System.arraycopy(ids, 0, encoded, 0, 6);
    WrappedKey w = WrappedKey.decode(encoded);
    assertThat(w.suite()).isEqualTo(HpkeSuite.X25519_SHA256_AES256GCM);
    assertThat(w.enc()).hasSize(32);
    assertThat(w.ciphertext()).hasSize(16);
    assertThat(w.toString()).startsWith("WrappedKey[").contains("ACAAAQAC");

    assertThatThrownBy(() -> WrappedKey.decode(Arrays.copyOf(encoded, encoded.length - 1)))
        .satisfies(e -> assertThat(id(e)).isEqualTo(HpkeException.BAD_ENCAPSULATION));
  }

  @Test
  void inputsShorterThanTheSuiteIdsAreTooShort() {
    for (byte[] b : new byte[][] {null, new byte[0], new byte[5]}) {
      assertThatThrownBy(() -> WrappedKey.decode(b))
          .satisfies(e -> assertThat(id(e)).isEqualTo(HpkeException.BAD_ENCAPSULATION));
    }
    // Six bytes are enough to name the suite, so an unknown one is reported as such.
    assertThatThrownBy(() -> WrappedKey.decode(new byte[] {0, 0x10, 0, 1, 0, 2}))
        .satisfies(e -> assertThat(id(e)).isEqualTo(HpkeException.UNSUPPORTED_SUITE));
  }
}
