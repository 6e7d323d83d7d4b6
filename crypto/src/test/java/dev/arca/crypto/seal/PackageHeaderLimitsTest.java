// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The header's length fields at and just beyond their limits: the manifest is 1 byte .. 1 MiB, the
 * signature 1 .. 512 bytes; a value inside the limits is read (and then judged by what follows),
 * one outside is a bad header. An unsupported format version is refused by number.
 */
class PackageHeaderLimitsTest {
  static PublisherSigningKey signer;
  static PublisherKeyRing ring;
  static byte[] manifest;

  @BeforeAll
  static void keys() throws Exception {
    signer = TestModels.signer(SignatureAlgorithm.ED25519, "publisher-1");
    ring = PublisherKeyRing.of(signer.publicKey());
    manifest = TestModels.manifestFor(new byte[] {1, 2, 3}, "publisher-1").encoded();
  }

  static String failure(CraftedPackage p) {
    try {
      SealedModel.read(Channels.newChannel(new ByteArrayInputStream(p.toBytes())), ring);
      return "read";
    } catch (SealException e) {
      return e.id();
    } catch (Exception e) {
      return "unexpected " + e;
    }
  }

  static CraftedPackage withManifestLength(long length) {
    return new CraftedPackage().magic(0, 1).u32(length);
  }

  static CraftedPackage withSignatureLength(int length) {
    return new CraftedPackage().magic(0, 1).u32(manifest.length).bytes(manifest).u16(length);
  }

  @Test
  void anotherFormatVersionIsRefusedByNumber() {
    assertThatThrownBy(
            () ->
                SealedModel.read(
                    Channels.newChannel(
                        new ByteArrayInputStream(new CraftedPackage().magic(1, 2).toBytes())),
                    ring))
        .isInstanceOfSatisfying(
            SealException.class,
            e -> assertThat(e.id()).isEqualTo(SealException.UNSUPPORTED_VERSION))
        .hasMessageContaining("format version 258 is not supported");
  }

  @Test
  void manifestLengthIsOneByteToOneMebibyte() {
    assertThat(failure(withManifestLength(0))).isEqualTo(SealException.BAD_HEADER);
    // One byte is read and parsed: not a manifest.
    assertThat(failure(withManifestLength(1).bytes(new byte[] {'{'})))
        .isEqualTo(SealException.BAD_MANIFEST);
    // 1 MiB is allowed, so the reader waits for it and finds the package cut short.
    assertThat(failure(withManifestLength(Manifest.MAX_ENCODED_LENGTH)))
        .isEqualTo(SealException.TRUNCATED);
    assertThat(failure(withManifestLength(Manifest.MAX_ENCODED_LENGTH + 1)))
        .isEqualTo(SealException.BAD_HEADER);
    assertThat(failure(withManifestLength(0xffffffffL))).isEqualTo(SealException.BAD_HEADER);
  }

  @Test
  void signatureLengthIsOneTo512Bytes() {
    assertThat(failure(withSignatureLength(0))).isEqualTo(SealException.BAD_HEADER);
    // One byte is read as the signature, then the key check: it does not verify.
    assertThat(failure(withSignatureLength(1).bytes(new byte[1 + 32])))
        .isEqualTo(SealException.MANIFEST_SIGNATURE_INVALID);
    assertThat(failure(withSignatureLength(512))).isEqualTo(SealException.TRUNCATED);
    assertThat(failure(withSignatureLength(513))).isEqualTo(SealException.BAD_HEADER);
    assertThat(failure(withSignatureLength(0xffff))).isEqualTo(SealException.BAD_HEADER);
  }
}
