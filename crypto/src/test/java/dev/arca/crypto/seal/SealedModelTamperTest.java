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
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tamper matrix: a byte flipped in every region of a valid package (every header byte; the first
 * and last 64 ciphertext bytes and every 31st byte between them of a one-segment package; first,
 * middle and last bytes of each segment of a multi-segment one), truncations at every region, and
 * spliced or forged packages. Each must fail with its specific id, and a failed open must return
 * nothing.
 */
class SealedModelTamperTest {
  static PublisherSigningKey signer;
  static PublisherKeyRing ring;
  static DataKey key;
  static byte[] model;
  static Manifest manifest;
  static byte[] pkg;
  static int manifestLength;
  static int sigLength;

  @BeforeAll
  static void seal() throws Exception {
    signer = TestModels.signer(SignatureAlgorithm.ED25519, "publisher-1");
    ring = PublisherKeyRing.of(signer.publicKey());
    key = DataKey.generate();
    model = TestModels.onnxOrRandom(0);
    manifest = TestModels.manifestFor(model, signer.keyId());
    pkg = TestModels.seal(manifest, signer, key, model);
    manifestLength = manifest.encoded().length;
    sigLength = ((pkg[12 + manifestLength] & 0xff) << 8) | (pkg[13 + manifestLength] & 0xff);
    assertThat(sigLength).isEqualTo(64);
  }

  static int manifestStart() {
    return 12;
  }

  static int sigLengthStart() {
    return 12 + manifestLength;
  }

  static int sigStart() {
    return 14 + manifestLength;
  }

  static int keyCheckStart() {
    return sigStart() + sigLength;
  }

  static int ciphertextStart() {
    return keyCheckStart() + 32;
  }

  static String openFailure(byte[] bytes, PlaintextCheck check) {
    try {
      SealedModel.open(Channels.newChannel(new ByteArrayInputStream(bytes)), ring, key, null, check)
          .close();
      return "opened";
    } catch (SealException e) {
      return e.id();
    } catch (Exception e) {
      return "unexpected " + e;
    }
  }

  /** What a flipped manifest byte must cause, decided by the manifest parser. */
  static String expectedForManifest(byte[] flippedManifest) {
    try {
      Manifest m = Manifest.parse(flippedManifest);
      return m.publisherKeyId().equals(signer.keyId())
          ? "seal.manifest-signature-invalid"
          : "seal.unknown-publisher-key";
    } catch (SealException e) {
      return "seal.bad-manifest";
    }
  }

  @Test
  void everyByteOfAOneSegmentPackageIsProtected() {
    assertThat(openFailure(pkg, PlaintextCheck.AEAD_ONLY)).isEqualTo("opened");
    int[] counts = new int[8];
    for (int i = 0; i < pkg.length; i++) {
      int ct = i - ciphertextStart();
      if (ct >= 64 && ct < pkg.length - ciphertextStart() - 64 && ct % 31 != 0) {
        continue; // inside the ciphertext body: every 31st byte (each open allocates 2 MiB)
      }
      byte[] bad = pkg.clone();
      bad[i] ^= 0x01;
      String expected;
      if (i < 6) {
        expected = "seal.bad-magic";
        counts[0]++;
      } else if (i < 8) {
        expected = "seal.unsupported-version";
        counts[1]++;
      } else if (i < manifestStart()) {
        // length M flipped: bit 24 -> beyond 1 MiB; bit 16 -> past the end; low bits -> a
        // different slice that is not a canonical manifest.
        expected = i == 8 ? "seal.bad-header" : i == 9 ? "seal.truncated" : "seal.bad-manifest";
        counts[2]++;
      } else if (i < sigLengthStart()) {
        expected = expectedForManifest(Arrays.copyOfRange(bad, manifestStart(), sigLengthStart()));
        counts[3]++;
      } else if (i < keyCheckStart()) {
        expected = "seal.manifest-signature-invalid"; // signature length or signature
        counts[4]++;
      } else if (i < ciphertextStart()) {
        expected = "seal.wrong-data-key";
        counts[5]++;
      } else {
        expected = "seal.segment-tampered";
        counts[6]++;
      }
      assertThat(openFailure(bad, PlaintextCheck.AEAD_ONLY)).as("byte %d", i).isEqualTo(expected);
    }
    // Every region was exercised.
    assertThat(counts[3]).isEqualTo(manifestLength);
    assertThat(counts[4]).isEqualTo(2 + 64);
    assertThat(counts[5]).isEqualTo(32);
    assertThat(counts[6]).isGreaterThan((pkg.length - ciphertextStart()) / 31);
  }

  @Test
  void manifestFlipsCoverAllThreeOutcomes() {
    // The oracle above must not be trivially "bad-manifest": flipping a hex digit of the
    // plaintext hash keeps the manifest canonical, so only the signature catches it.
    byte[] enc = manifest.encoded();
    String json = new String(enc, java.nio.charset.StandardCharsets.UTF_8);
    int hashAt = json.indexOf("\"plaintextSha256\":\"") + 19;
    byte[] bad = pkg.clone();
    bad[manifestStart() + hashAt] = (byte) (bad[manifestStart() + hashAt] == 'a' ? 'b' : 'a');
    assertThat(openFailure(bad, PlaintextCheck.AEAD_ONLY))
        .isEqualTo("seal.manifest-signature-invalid");
    int keyAt = json.indexOf("\"publisherKeyId\":\"") + 18;
    byte[] bad2 = pkg.clone();
    bad2[manifestStart() + keyAt] = 'q';
    assertThat(openFailure(bad2, PlaintextCheck.AEAD_ONLY)).isEqualTo("seal.unknown-publisher-key");
  }

  @Test
  void truncationAnywhereIsReportedAsTruncated() {
    int[] cuts = {
      0,
      3,
      7,
      10,
      manifestStart() + 5,
      sigLengthStart() + 1,
      sigStart() + 10,
      keyCheckStart() + 5,
      ciphertextStart(),
      ciphertextStart() + 1,
      ciphertextStart() + 39,
      ciphertextStart() + 40,
      pkg.length - 17,
      pkg.length - 1
    };
    for (int cut : cuts) {
      assertThat(openFailure(Arrays.copyOf(pkg, cut), PlaintextCheck.AEAD_ONLY))
          .as("cut at %d", cut)
          .isEqualTo("seal.truncated");
    }
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] longer = Arrays.copyOf(pkg, pkg.length + 1);
    assertThat(openFailure(longer, PlaintextCheck.AEAD_ONLY)).isEqualTo("seal.trailing-data");
  }

  @Test
  void wrongKeyUnknownPublisherAndRetiredKeyAreNamed() throws Exception {
    assertThatThrownBy(
            () -> SealedModel.open(new ByteArrayInputStream(pkg), ring, DataKey.generate()))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo("seal.wrong-data-key"));
    PublisherKeyRing other =
        PublisherKeyRing.of(
            TestModels.signer(SignatureAlgorithm.ED25519, "someone-else").publicKey());
    assertThatThrownBy(() -> SealedModel.open(new ByteArrayInputStream(pkg), other, key))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo("seal.unknown-publisher-key"));
    PublisherKeyRing retired = ring.without("publisher-1");
    assertThatThrownBy(() -> SealedModel.open(new ByteArrayInputStream(pkg), retired, key))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo("seal.unknown-publisher-key"));
    // Same key id, different key (an impostor publishing under a known id).
    PublisherSigningKey impostor = TestModels.signer(SignatureAlgorithm.ED25519, "publisher-1");
    byte[] forged = TestModels.seal(manifest, impostor, key, model);
    assertThat(openFailure(forged, PlaintextCheck.AEAD_ONLY))
        .isEqualTo("seal.manifest-signature-invalid");
  }

  @Test
  void aManifestCannotBeMovedOntoAnotherCiphertext() throws Exception {
    byte[] otherModel = model.clone();
    otherModel[0] ^= 1;
    Manifest otherManifest = TestModels.manifestFor(otherModel, signer.keyId());
    // Even under the same data key (never done on purpose), the AAD binds the manifest.
    byte[] other = TestModels.seal(otherManifest, signer, key, otherModel);
    byte[] spliced = new byte[ciphertextStart() + (other.length - ciphertextStart())];
    System.arraycopy(pkg, 0, spliced, 0, ciphertextStart());
    System.arraycopy(
        other, ciphertextStart(), spliced, ciphertextStart(), other.length - ciphertextStart());
    assertThat(openFailure(spliced, PlaintextCheck.AEAD_ONLY)).isEqualTo("seal.segment-tampered");
  }

  @Test
  void aKeyHolderForgeryIsCaughtByTheSha256Check() throws Exception {
    // A holder of the data key (not the publisher) encrypts other bytes under the signed
    // manifest's digest. AEAD_ONLY cannot tell (documented); SHA256 must.
    byte[] otherBytes = model.clone();
    otherBytes[500] ^= 1;
    byte[] forged = forge(otherBytes);
    assertThat(openFailure(forged, PlaintextCheck.SHA256)).isEqualTo("seal.manifest-mismatch");
    assertThat(openFailure(forged, PlaintextCheck.AEAD_ONLY)).isEqualTo("opened");
    // A different length is caught in both modes: the segment layout follows from the signed
    // plaintextSize, so the last segment no longer authenticates (longer) or is cut (shorter).
    byte[] longer = forge(Arrays.copyOf(model, model.length + 1));
    assertThat(openFailure(longer, PlaintextCheck.AEAD_ONLY)).isEqualTo("seal.segment-tampered");
    byte[] shorter = forge(Arrays.copyOf(model, model.length - 1));
    assertThat(openFailure(shorter, PlaintextCheck.AEAD_ONLY)).isEqualTo("seal.truncated");
  }

  private static byte[] forge(byte[] plaintext) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(pkg, 0, ciphertextStart());
    try (OutputStream enc = key.streamingAead().newEncryptingStream(out, manifest.digest())) {
      enc.write(plaintext);
    }
    return out.toByteArray();
  }

  @Test
  void everySegmentOfAMultiSegmentPackageIsAuthenticated() throws Exception {
    byte[] big = new byte[(2 << 20) + 777]; // 3 segments
    new Random(3).nextBytes(big);
    Manifest m = TestModels.manifestFor(big, signer.keyId());
    byte[] p = TestModels.seal(m, signer, key, big);
    int ct = 12 + m.encoded().length + 2 + 64 + 32;
    int seg = 1 << 20;
    int[] offsets = {
      ct,
      ct + 40,
      ct + seg / 2,
      ct + seg - 1,
      ct + seg,
      ct + seg + seg / 2,
      ct + 2 * seg - 1,
      ct + 2 * seg,
      p.length - 17,
      p.length - 1
    };
    for (int off : offsets) {
      byte[] bad = p.clone();
      bad[off] ^= 0x01;
      assertThat(openFailure(bad, PlaintextCheck.AEAD_ONLY))
          .as("offset %d", off)
          .isEqualTo("seal.segment-tampered");
    }
    // Dropping the whole last segment, or cutting at a segment boundary, is truncation.
    assertThat(openFailure(Arrays.copyOf(p, ct + 2 * seg), PlaintextCheck.AEAD_ONLY))
        .isEqualTo("seal.truncated");
    assertThat(openFailure(Arrays.copyOf(p, ct + seg), PlaintextCheck.AEAD_ONLY))
        .isEqualTo("seal.truncated");
  }
}
