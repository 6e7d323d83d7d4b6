// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import dev.arca.crypto.sign.PublisherSigningKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Builds package bytes field by field (docs/formats/sealed-model.md), so a test can put any value
 * in any header field, or encrypt other bytes than the manifest describes, as a data-key holder
 * could.
 */
final class CraftedPackage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  CraftedPackage magic(int major, int minor) {
    out.writeBytes(new byte[] {'A', 'R', 'C', 'A', 'S', 'M', (byte) major, (byte) minor});
    return this;
  }

  CraftedPackage u32(long v) {
    out.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    return this;
  }

  CraftedPackage u16(int v) {
    out.writeBytes(new byte[] {(byte) (v >>> 8), (byte) v});
    return this;
  }

  CraftedPackage bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** A complete, correctly signed header for {@code m} whose key check matches {@code key}. */
  static CraftedPackage header(Manifest m, PublisherSigningKey signer, DataKey key)
      throws Exception {
    byte[] encoded = m.encoded();
    byte[] sig = signer.sign(SealedModel.signedBytes(encoded));
    return new CraftedPackage()
        .magic(0, 1)
        .u32(encoded.length)
        .bytes(encoded)
        .u16(sig.length)
        .bytes(sig)
        .bytes(key.keyCheck(m.digest()));
  }

  /** Appends the ciphertext of {@code plaintext} under {@code key} for manifest {@code m}. */
  CraftedPackage ciphertext(Manifest m, DataKey key, byte[] plaintext) throws Exception {
    try (OutputStream enc = key.streamingAead().newEncryptingStream(out, m.digest())) {
      enc.write(plaintext);
    }
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
