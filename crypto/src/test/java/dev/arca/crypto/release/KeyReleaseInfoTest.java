// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The binding of a wrapped key: its canonical encoding byte for byte (the HPKE info both sides must
 * agree on), the limits of its fields, and its value semantics.
 */
class KeyReleaseInfoTest {
  static final byte[] DIGEST = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      DIGEST[i] = (byte) (0xa0 + i);
    }
  }

  @Test
  void encodingIsLabelZeroLengthPrefixedIdsVersionAndDigest() {
    String model = "m".repeat(300); // a length above 255 uses both length bytes
    KeyReleaseInfo info = KeyReleaseInfo.of("g-1", model, 0x0102030405060708L, DIGEST);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("arca/key-release/v1".getBytes(StandardCharsets.US_ASCII));
    expected.write(0);
    expected.writeBytes(new byte[] {0x00, 0x03, 'g', '-', '1'});
    expected.writeBytes(new byte[] {0x01, 0x2c});
    expected.writeBytes(model.getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    expected.writeBytes(DIGEST);
    assertThat(info.bytes()).isEqualTo(expected.toByteArray());
  }

  @Test
  void idsAreOneTo1024Utf8Bytes() {
    String longest = "x".repeat(1024);
    assertThat(KeyReleaseInfo.of(longest, longest, 1, DIGEST).grantId()).isEqualTo(longest);
    // 342 three-byte characters are 1026 bytes: the limit counts bytes, not characters.
    String[] bad = {null, "", "x".repeat(1025), "\u20ac".repeat(342)};
    for (String b : bad) {
      assertThatThrownBy(() -> KeyReleaseInfo.of(b, "m", 1, DIGEST))
          .as("grant %s", b)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("grantId");
      assertThatThrownBy(() -> KeyReleaseInfo.of("g", b, 1, DIGEST))
          .as("model %s", b)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("modelId");
    }
  }

  @Test
  void versionStartsAtOneAndTheDigestIs32Bytes() {
    assertThat(KeyReleaseInfo.of("g", "m", 1, DIGEST).version()).isEqualTo(1);
    assertThatThrownBy(() -> KeyReleaseInfo.of("g", "m", 0, DIGEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> KeyReleaseInfo.of("g", "m", Long.MIN_VALUE, DIGEST))
        .isInstanceOf(IllegalArgumentException.class);
    for (byte[] d : new byte[][] {null, new byte[31], new byte[33]}) {
      assertThatThrownBy(() -> KeyReleaseInfo.of("g", "m", 1, d))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("digest");
    }
  }

  @Test
  void isAnImmutableValue() {
    byte[] digest = DIGEST.clone();
    KeyReleaseInfo info = KeyReleaseInfo.of("grant-1", "fraud", 3, digest);
    digest[0] ^= 1;
    info.manifestDigest()[1] ^= 1;
    assertThat(info.manifestDigest()).isEqualTo(DIGEST);
    assertThat(info.grantId()).isEqualTo("grant-1");
    assertThat(info.modelId()).isEqualTo("fraud");
    assertThat(info.version()).isEqualTo(3);

    KeyReleaseInfo same = KeyReleaseInfo.of("grant-1", "fraud", 3, DIGEST);
    assertThat(info).isEqualTo(same).hasSameHashCodeAs(same);
    // Not required by equals, but a constant would put every grant in one hash bucket.
    assertThat(
            java.util.Set.of(
                info.hashCode(),
                KeyReleaseInfo.of("grant-2", "fraud", 3, DIGEST).hashCode(),
                KeyReleaseInfo.of("grant-1", "fraud", 4, DIGEST).hashCode()))
        .hasSize(3);
    assertThat(info).isNotEqualTo(KeyReleaseInfo.of("grant-1", "fraud", 3, new byte[32]));
    assertThat(info).isNotEqualTo(KeyReleaseInfo.of("grant-2", "fraud", 3, DIGEST));
    assertThat(info).isNotEqualTo("grant-1");
    assertThat(info.toString()).isEqualTo("KeyReleaseInfo[grant grant-1, fraud v3]");
  }
}
