// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SealedModelTest {
  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void sealsAndOpensTheRealOnnxModel(SignatureAlgorithm alg) throws Exception {
    byte[] model = TestModels.onnxOrRandom(0);
    assertThat(model.length).isEqualTo(15618); // the ONNX vector, not the fallback
    PublisherSigningKey signer = TestModels.signer(alg, "publisher-2026");
    Manifest manifest = TestModels.manifestFor(model, signer.keyId());
    DataKey key = DataKey.generate();
    byte[] pkg = TestModels.seal(manifest, signer, key, model);

    assertThat(pkg).startsWith('A', 'R', 'C', 'A', 'S', 'M', 0, 1);
    try (OpenedModel opened =
        SealedModel.open(
            new ByteArrayInputStream(pkg), PublisherKeyRing.of(signer.publicKey()), key)) {
      ByteBuffer plain = opened.plaintext();
      assertThat(plain.isDirect()).isTrue();
      byte[] got = new byte[plain.remaining()];
      plain.get(got);
      assertThat(got).isEqualTo(model);
      assertThat(opened.manifest()).isEqualTo(manifest);
      assertThat(opened.manifest().digest()).isEqualTo(manifest.digest());
    }
  }

  @Test
  void opensMultiSegmentModelIntoCallerBufferFromAFileWithBothChecks(@TempDir Path dir)
      throws Exception {
    byte[] model = new byte[(3 << 20) + 12345]; // 4 segments of AES256_GCM_HKDF_1MB
    new Random(7).nextBytes(model);
    PublisherSigningKey signer = TestModels.signer(SignatureAlgorithm.ED25519, "k1");
    Manifest manifest = TestModels.manifestFor(model, "k1");
    DataKey key = DataKey.generate();
    Path file = dir.resolve("model.arca");
    try (OutputStream out = Files.newOutputStream(file)) {
      SealedModel.SealResult r =
          SealedModel.seal(manifest, signer, key, new ByteArrayInputStream(model), out);
      assertThat(r.manifestDigest()).isEqualTo(manifest.digest());
      assertThat(r.packageLength()).isEqualTo(Files.size(file));
    }
    PublisherKeyRing ring = PublisherKeyRing.of(signer.publicKey());
    for (PlaintextCheck check : PlaintextCheck.values()) {
      ByteBuffer dst = ByteBuffer.allocateDirect(model.length + 100);
      dst.position(50);
      OpenedModel opened = SealedModel.open(file, ring, key, dst, check);
      ByteBuffer plain = opened.plaintext();
      assertThat(plain.remaining()).isEqualTo(model.length);
      byte[] got = new byte[model.length];
      plain.get(got);
      assertThat(got).isEqualTo(model);
      opened.close();
      ByteBuffer wiped = dst.duplicate();
      wiped.position(50);
      byte[] after = new byte[model.length];
      wiped.get(after);
      assertThat(after).containsOnly((byte) 0);
    }
  }

  @Test
  void modelsEndingExactlyOnASegmentBoundaryAndEmptyModelsOpen() throws Exception {
    // Tink's first segment holds 1 MiB - 16 (tag) - 40 (header) plaintext bytes, later ones
    // 1 MiB - 16; sizes at and around those boundaries, and zero.
    int first = (1 << 20) - 16 - 40;
    int later = (1 << 20) - 16;
    PublisherSigningKey signer = TestModels.signer(SignatureAlgorithm.ED25519, "k");
    PublisherKeyRing ring = PublisherKeyRing.of(signer.publicKey());
    for (int size :
        new int[] {0, 1, first - 1, first, first + 1, first + later, first + later + 1}) {
      byte[] model = new byte[size];
      new Random(size).nextBytes(model);
      DataKey key = DataKey.generate();
      byte[] pkg = TestModels.seal(TestModels.manifestFor(model, "k"), signer, key, model);
      try (OpenedModel m =
          SealedModel.open(
              Channels.newChannel(new ByteArrayInputStream(pkg)),
              ring,
              key,
              null,
              PlaintextCheck.SHA256)) {
        byte[] got = new byte[m.plaintext().remaining()];
        m.plaintext().get(got);
        assertThat(got).as("size %d", size).isEqualTo(model);
      }
    }
  }

  @Test
  void readerExposesVerifiedManifestBeforeTheKeyIsNeeded() throws Exception {
    byte[] model = TestModels.onnxOrRandom(0);
    PublisherSigningKey signer = TestModels.signer(SignatureAlgorithm.ECDSA_P256_SHA256, "k");
    Manifest manifest = TestModels.manifestFor(model, "k");
    DataKey key = DataKey.generate();
    byte[] pkg = TestModels.seal(manifest, signer, key, model);
    SealedModelReader reader =
        SealedModel.read(
            Channels.newChannel(new ByteArrayInputStream(pkg)),
            PublisherKeyRing.of(signer.publicKey()));
    assertThat(reader.manifest().modelId()).isEqualTo("fraud-detector");
    assertThat(reader.manifest().version()).isEqualTo(7);
    try (OpenedModel m = reader.decrypt(key, null, PlaintextCheck.AEAD_ONLY)) {
      assertThat(m.plaintext().remaining()).isEqualTo(model.length);
    }
  }

  @Test
  void readerChecksADataKeyWithoutDecrypting() throws Exception {
    byte[] model = TestModels.onnxOrRandom(0);
    PublisherSigningKey signer = TestModels.signer(SignatureAlgorithm.ED25519, "k");
    DataKey key = DataKey.generate();
    byte[] pkg = TestModels.seal(TestModels.manifestFor(model, "k"), signer, key, model);
    SealedModelReader reader =
        SealedModel.read(
            Channels.newChannel(new ByteArrayInputStream(pkg)),
            PublisherKeyRing.of(signer.publicKey()));
    reader.requireDataKey(key);
    assertThatThrownBy(() -> reader.requireDataKey(DataKey.generate()))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.WRONG_DATA_KEY));
    // The check consumed nothing: the reader still decrypts.
    try (OpenedModel m = reader.decrypt(key, null, PlaintextCheck.SHA256)) {
      assertThat(m.plaintext().remaining()).isEqualTo(model.length);
    }
  }

  @Test
  void sealRefusesPlaintextThatDiffersFromTheManifest() throws Exception {
    byte[] model = TestModels.onnxOrRandom(0);
    PublisherSigningKey signer = TestModels.signer(SignatureAlgorithm.ED25519, "k");
    Manifest manifest = TestModels.manifestFor(model, "k");
    byte[] other = model.clone();
    other[100] ^= 1;
    assertThatThrownBy(
            () ->
                SealedModel.seal(
                    manifest,
                    signer,
                    DataKey.generate(),
                    new ByteArrayInputStream(other),
                    new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo("seal.manifest-mismatch"));
    byte[] shorter = java.util.Arrays.copyOf(model, model.length - 1);
    assertThatThrownBy(
            () ->
                SealedModel.seal(
                    manifest,
                    signer,
                    DataKey.generate(),
                    new ByteArrayInputStream(shorter),
                    new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo("seal.manifest-mismatch"));
    PublisherSigningKey otherSigner = TestModels.signer(SignatureAlgorithm.ED25519, "other");
    assertThatThrownBy(
            () ->
                SealedModel.seal(
                    manifest,
                    otherSigner,
                    DataKey.generate(),
                    new ByteArrayInputStream(model),
                    new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo("seal.signer-mismatch"));
  }

  @Test
  void dataKeyNeverPrintsItsBytes() throws Exception {
    DataKey key = DataKey.generate();
    assertThat(key.toString()).isEqualTo("DataKey[redacted]");
    key.destroy();
    assertThatThrownBy(() -> key.bytes(com.google.crypto.tink.InsecureSecretKeyAccess.get()))
        .isInstanceOf(SealException.class);
  }
}
