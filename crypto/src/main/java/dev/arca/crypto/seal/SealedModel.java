// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import dev.arca.crypto.Secrets;
import dev.arca.crypto.Sha256;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Seals and opens Arca sealed model packages (format: docs/formats/sealed-model.md).
 *
 * <p>{@link #seal} streams: it reads the plaintext once, in 1 MiB pieces, so models of any size
 * work without being loaded whole. {@link #open} verifies the publisher signature before touching
 * the ciphertext, then decrypts straight into a direct {@link ByteBuffer}: no temporary file, no
 * second full-size copy (one reusable 1 MiB ciphertext buffer), and nothing is returned unless
 * every segment authenticated; on failure the output is wiped.
 *
 * <p>Thread-safe (stateless).
 */
public final class SealedModel {
  /** The 8-byte magic of format version 1: "ARCASM", then the version 0x0001. */
  static final byte[] MAGIC_V1 = {'A', 'R', 'C', 'A', 'S', 'M', 0x00, 0x01};

  static final int MAGIC_PREFIX_LENGTH = 6;
  static final int MAX_SIGNATURE_LENGTH = 512;
  static final int KEY_CHECK_LENGTH = 32;

  private SealedModel() {}

  /** What {@link #seal} produced. */
  public static final class SealResult {
    private final byte[] manifestDigest;
    private final long packageLength;

    SealResult(byte[] manifestDigest, long packageLength) {
      this.manifestDigest = manifestDigest;
      this.packageLength = packageLength;
    }

    /** SHA-256 of the manifest: bind it in key release. */
    public byte[] manifestDigest() {
      return manifestDigest.clone();
    }

    /** Total bytes written. */
    public long packageLength() {
      return packageLength;
    }
  }

  /**
   * Seals {@code plaintext} into {@code out}: header (magic, manifest, signature, key check), then
   * the streaming-AEAD ciphertext. Does not close either stream.
   *
   * <p>The manifest must already carry the plaintext's size and SHA-256 ({@link PlaintextDigest#of}
   * computes them in a first pass). Seal recomputes both while streaming and fails if they differ;
   * the output is then unusable (its final segment is never written).
   *
   * @throws SealException {@code seal.signer-mismatch} if the manifest names another publisher key;
   *     {@code seal.manifest-mismatch} if the plaintext differs from the manifest
   * @throws IOException if reading or writing fails
   */
  public static SealResult seal(
      Manifest manifest,
      PublisherSigningKey signer,
      DataKey dataKey,
      InputStream plaintext,
      OutputStream out)
      throws SealException, IOException {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(out, "out");
    if (!manifest.publisherKeyId().equals(signer.keyId())) {
      throw new SealException(
          SealException.SIGNER_MISMATCH,
          "manifest names publisher key '"
              + manifest.publisherKeyId()
              + "' but the signing key is '"
              + signer.keyId()
              + "'");
    }
    byte[] encoded = manifest.encoded();
    byte[] digest = manifest.digest();
    byte[] signature;
    try {
      signature = signer.sign(signedBytes(encoded));
    } catch (SignatureException e) {
      throw new SealException(SealException.SIGNER_MISMATCH, "could not sign the manifest", e);
    }
    CountingOutputStream counted = new CountingOutputStream(out);
    counted.write(MAGIC_V1);
    counted.write(u32(encoded.length));
    counted.write(encoded);
    counted.write(u16(signature.length));
    counted.write(signature);
    counted.write(dataKey.keyCheck(digest));

    MessageDigest sha = Sha256.newDigest();
    OutputStream encrypting;
    try {
      encrypting = dataKey.streamingAead().newEncryptingStream(counted, digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not start the encrypting stream", e);
    }
    byte[] buf = new byte[1 << 20];
    long total = 0;
    try {
      int n;
      while ((n = plaintext.read(buf)) != -1) {
        sha.update(buf, 0, n);
        total += n;
        if (total > manifest.plaintextSize()) {
          throw mismatch("the plaintext is longer than the manifest's plaintextSize");
        }
        encrypting.write(buf, 0, n);
      }
    } finally {
      Secrets.wipe(buf);
    }
    if (total != manifest.plaintextSize()) {
      throw mismatch(
          "the plaintext has " + total + " bytes, the manifest says " + manifest.plaintextSize());
    }
    if (!MessageDigest.isEqual(sha.digest(), manifest.plaintextSha256())) {
      throw mismatch("the plaintext's SHA-256 differs from the manifest's plaintextSha256");
    }
    encrypting.close(); // writes the final segment; CountingOutputStream keeps `out` open
    counted.flush();
    return new SealResult(digest, counted.count);
  }

  /**
   * Reads and verifies the header of a package: magic, manifest, publisher signature. The channel
   * is left positioned at the ciphertext; continue with {@link SealedModelReader#decrypt}.
   *
   * @throws SealException {@code seal.bad-magic}, {@code seal.unsupported-version}, {@code
   *     seal.truncated}, {@code seal.bad-header}, {@code seal.bad-manifest}, {@code
   *     seal.unknown-publisher-key}, {@code seal.manifest-signature-invalid}
   */
  public static SealedModelReader read(ReadableByteChannel in, PublisherKeyRing publishers)
      throws SealException, IOException {
    return SealedModelReader.readHeader(in, publishers);
  }

  /**
   * Verifies and decrypts a package into a freshly allocated direct buffer, checking the plaintext
   * SHA-256 too ({@link PlaintextCheck#SHA256}).
   *
   * @throws SealException any id of {@link #read} and of {@link SealedModelReader#decrypt}
   */
  public static OpenedModel open(
      ReadableByteChannel in, PublisherKeyRing publishers, DataKey dataKey)
      throws SealException, IOException {
    return read(in, publishers).decrypt(dataKey, null, PlaintextCheck.SHA256);
  }

  /**
   * Verifies and decrypts a package into {@code dst} (or a fresh direct buffer if null).
   *
   * @throws SealException any id of {@link #read} and of {@link SealedModelReader#decrypt}
   */
  public static OpenedModel open(
      ReadableByteChannel in,
      PublisherKeyRing publishers,
      DataKey dataKey,
      ByteBuffer dst,
      PlaintextCheck check)
      throws SealException, IOException {
    return read(in, publishers).decrypt(dataKey, dst, check);
  }

  /** {@link #open(ReadableByteChannel, PublisherKeyRing, DataKey)} from a stream. */
  public static OpenedModel open(InputStream in, PublisherKeyRing publishers, DataKey dataKey)
      throws SealException, IOException {
    return open(Channels.newChannel(in), publishers, dataKey);
  }

  /** Opens a downloaded package file (read sequentially, never copied). */
  public static OpenedModel open(
      Path file, PublisherKeyRing publishers, DataKey dataKey, ByteBuffer dst, PlaintextCheck check)
      throws SealException, IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return open(ch, publishers, dataKey, dst, check);
    }
  }

  static byte[] signedBytes(byte[] manifestEncoded) {
    byte[] out = new byte[MAGIC_V1.length + manifestEncoded.length];
    System.arraycopy(MAGIC_V1, 0, out, 0, MAGIC_V1.length);
    System.arraycopy(manifestEncoded, 0, out, MAGIC_V1.length, manifestEncoded.length);
    return out;
  }

  private static SealException mismatch(String why) {
    return new SealException(
        SealException.MANIFEST_MISMATCH, why + "; discard the partial output and reseal");
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  /** Counts bytes and never closes the caller's stream. */
  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
