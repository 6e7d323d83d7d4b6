// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where decrypt writes: a caller's buffer needs exactly the model's size, a model too large for one
 * buffer is refused before anything is read, a failed open leaves zeros where plaintext was
 * written, a reader decrypts once, and a closed model's plaintext is gone.
 */
class DecryptOutputTest {
  static PublisherSigningKey signer;
  static PublisherKeyRing ring;
  static DataKey key;
  static byte[] model;
  static Manifest manifest;
  static byte[] pkg;

  @BeforeAll
  static void seal() throws Exception {
    signer = TestModels.signer(SignatureAlgorithm.ED25519, "k");
    ring = PublisherKeyRing.of(signer.publicKey());
    key = DataKey.generate();
    model = new byte[5000];
    new Random(9).nextBytes(model);
    manifest = TestModels.manifestFor(model, "k");
    pkg = TestModels.seal(manifest, signer, key, model);
  }

  static SealedModelReader reader(byte[] bytes) throws Exception {
    return SealedModel.read(Channels.newChannel(new ByteArrayInputStream(bytes)), ring);
  }

  static byte[] region(ByteBuffer b, int from, int length) {
    byte[] out = new byte[length];
    b.duplicate().position(from).get(out);
    return out;
  }

  @Test
  void aCallerBufferOfExactlyTheModelSizeIsEnough() throws Exception {
    ByteBuffer dst = ByteBuffer.allocate(7 + model.length).position(7);
    try (OpenedModel m = reader(pkg).decrypt(key, dst, PlaintextCheck.SHA256)) {
      assertThat(region(m.plaintext(), 0, model.length)).isEqualTo(model);
      assertThat(region(dst, 7, model.length)).isEqualTo(model);
    }
  }

  @Test
  void aSmallerCallerBufferIsRefusedUntouched() throws Exception {
    ByteBuffer dst = ByteBuffer.allocate(model.length - 1);
    assertThatThrownBy(() -> reader(pkg).decrypt(key, dst, PlaintextCheck.AEAD_ONLY))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.BUFFER_TOO_SMALL));
    assertThat(dst.array()).containsOnly(0);
  }

  @Test
  void aModelBeyondOneBufferIsRefusedBeforeDecrypting() throws Exception {
    byte[] sha = new byte[32];
    Manifest huge =
        Manifest.builder()
            .modelId("huge")
            .version(1)
            .plaintextSha256(sha)
            .plaintextSize(1L << 40)
            .input(TensorSpec.of("x", "float32", 1))
            .output(TensorSpec.of("y", "float32", 1))
            .dataClass("pci")
            .minRuntimeVersion("0.1.0")
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .publisherKeyId("k")
            .build();
    byte[] header = CraftedPackage.header(huge, signer, key).toBytes();
    assertThatThrownBy(() -> reader(header).decrypt(key, null, PlaintextCheck.AEAD_ONLY))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.BUFFER_TOO_SMALL));
  }

  @Test
  void aFailedOpenWipesWhatItWroteIntoTheCallerBuffer() throws Exception {
    // A data-key holder encrypted other bytes under the signed manifest: every segment
    // authenticates, so the plaintext is written before the SHA-256 check fails.
    byte[] other = model.clone();
    other[0] ^= 1;
    byte[] forged =
        CraftedPackage.header(manifest, signer, key).ciphertext(manifest, key, other).toBytes();
    ByteBuffer dst = ByteBuffer.allocate(model.length);
    Arrays.fill(dst.array(), (byte) 0x55);
    assertThatThrownBy(() -> reader(forged).decrypt(key, dst, PlaintextCheck.SHA256))
        .isInstanceOfSatisfying(
            SealException.class,
            e -> assertThat(e.id()).isEqualTo(SealException.MANIFEST_MISMATCH));
    assertThat(dst.array()).containsOnly(0);
  }

  @Test
  void aReaderDecryptsOnce() throws Exception {
    SealedModelReader r = reader(pkg);
    r.decrypt(key, null, PlaintextCheck.AEAD_ONLY).close();
    assertThatThrownBy(() -> r.decrypt(key, null, PlaintextCheck.AEAD_ONLY))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingAnOpenedModelWipesItsPlaintext() throws Exception {
    OpenedModel m = reader(pkg).decrypt(key, null, PlaintextCheck.SHA256);
    ByteBuffer view = m.plaintext();
    assertThat(m.toString()).isEqualTo("OpenedModel[" + manifest + "]");
    m.close();
    m.close(); // idempotent
    assertThat(region(view, 0, model.length)).containsOnly(0);
    assertThatThrownBy(m::plaintext).isInstanceOf(IllegalStateException.class);
    assertThat(m.toString()).isEqualTo("OpenedModel[" + manifest + ", wiped]");
    assertThat(MessageDigest.isEqual(m.manifest().digest(), manifest.digest())).isTrue();
  }
}
