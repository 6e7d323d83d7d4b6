// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bench;

import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds the benchmark inputs on disk (ciphertext only, never plaintext): a sealed package of a
 * pseudo-random model, and the same plaintext encrypted with raw JDK AES-256-GCM in 1 MiB segments
 * (the baseline). The plaintext is generated as a stream and never held whole.
 */
final class BenchFixtures {
  static final int SEGMENT = 1 << 20;

  final Path dir;
  final Path sealed;
  final Path raw;
  final long size;
  final DataKey dataKey = DataKey.generate();
  final byte[] rawKey = new byte[32];
  final PublisherKeyRing ring;

  BenchFixtures(long size) throws Exception {
    this.size = size;
    dir = Files.createTempDirectory("arca-bench");
    sealed = dir.resolve("model.arca");
    raw = dir.resolve("model.rawgcm");
    new SecureRandom().nextBytes(rawKey);
    PublisherSigningKey signer = PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "bench");
    ring = PublisherKeyRing.of(signer.publicKey());
    PlaintextDigest digest;
    try (InputStream in = plaintext(size)) {
      digest = PlaintextDigest.of(in);
    }
    Manifest m =
        Manifest.builder()
            .modelId("bench")
            .version(1)
            .plaintextSha256(digest.sha256())
            .plaintextSize(size)
            .input(TensorSpec.of("x", "float32", 1, -1))
            .output(TensorSpec.of("y", "float32", 1, -1))
            .dataClass("phi")
            .minRuntimeVersion("0.1.0")
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .publisherKeyId("bench")
            .build();
    try (InputStream in = plaintext(size);
        OutputStream out = Files.newOutputStream(sealed)) {
      SealedModel.seal(m, signer, dataKey, in, out);
    }
    writeRaw();
  }

  /** The raw baseline: per segment, a 12-byte counter nonce and AES-256-GCM(segment). */
  private void writeRaw() throws Exception {
    try (InputStream in = plaintext(size);
        FileChannel out =
            FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[SEGMENT];
      long seg = 0;
      int n;
      while ((n = in.readNBytes(buf, 0, SEGMENT)) > 0) {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(
            Cipher.ENCRYPT_MODE,
            new SecretKeySpec(rawKey, "AES"),
            new GCMParameterSpec(128, nonce(seg++)));
        out.write(ByteBuffer.wrap(c.doFinal(buf, 0, n)));
      }
    }
  }

  static byte[] nonce(long seg) {
    return ByteBuffer.allocate(12).putLong(4, seg).array();
  }

  /** Decrypts the raw baseline file into {@code dst}, segment by segment, like open does. */
  void rawDecrypt(ByteBuffer dst) throws Exception {
    dst.clear();
    ByteBuffer ct = ByteBuffer.allocate(SEGMENT + 16);
    SecretKeySpec key = new SecretKeySpec(rawKey, "AES");
    try (FileChannel in = FileChannel.open(raw, StandardOpenOption.READ)) {
      long seg = 0;
      while (true) {
        ct.clear();
        while (ct.hasRemaining() && in.read(ct) >= 0) {
          // fill one segment
        }
        ct.flip();
        if (!ct.hasRemaining()) {
          break;
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(seg++)));
        c.doFinal(ct, dst);
      }
    }
    dst.flip();
  }

  /** Deterministic pseudo-random plaintext, generated on the fly. */
  static InputStream plaintext(long size) {
    return new InputStream() {
      final SplittableRandom r = new SplittableRandom(2026);
      long left = size;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        return r.nextInt(256);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i += 8) {
          long v = r.nextLong();
          for (int j = 0; j < 8 && i + j < n; j++) {
            b[off + i + j] = (byte) (v >>> (8 * j));
          }
        }
        left -= n;
        return n;
      }
    };
  }

  void delete() throws IOException {
    Files.deleteIfExists(sealed);
    Files.deleteIfExists(raw);
    Files.deleteIfExists(dir);
  }
}
