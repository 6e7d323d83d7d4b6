// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A channel that, like a non-blocking socket, answers every other read with zero bytes and
 * otherwise delivers one byte: zero is "nothing yet", never the end, so the package opens, and a
 * byte after the last segment is still found.
 */
class TricklingChannelTest {
  /** Returns 0, then 1 byte, then 0, ... and -1 at the end. */
  static final class Trickling implements ReadableByteChannel {
    private final byte[] data;
    private int pos;
    private boolean give;

    Trickling(byte[] data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (pos == data.length) {
        return -1;
      }
      give = !give;
      if (!give || !dst.hasRemaining()) {
        return 0;
      }
      dst.put(data[pos++]);
      return 1;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void zeroByteReadsAreWaitedOutAndTrailingBytesStillFound() throws Exception {
    byte[] model = new byte[3000];
    new Random(5).nextBytes(model);
    PublisherSigningKey signer = TestModels.signer(SignatureAlgorithm.ED25519, "k");
    PublisherKeyRing ring = PublisherKeyRing.of(signer.publicKey());
    DataKey key = DataKey.generate();
    byte[] pkg = TestModels.seal(TestModels.manifestFor(model, "k"), signer, key, model);

    try (OpenedModel opened =
        SealedModel.open(new Trickling(pkg), ring, key, null, PlaintextCheck.SHA256)) {
      byte[] got = new byte[model.length];
      opened.plaintext().get(got);
      assertThat(got).isEqualTo(model);
    }
    byte[] longer = Arrays.copyOf(pkg, pkg.length + 1);
    assertThatThrownBy(
            () -> SealedModel.open(new Trickling(longer), ring, key, null, PlaintextCheck.SHA256))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.TRAILING_DATA));
  }
}
