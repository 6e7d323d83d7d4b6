// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.StreamSegmentDecrypter;
import dev.arca.crypto.Secrets;
import dev.arca.crypto.Sha256;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherPublicKey;
import dev.arca.crypto.sign.SignatureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A package whose header has been read and whose publisher signature has verified; the ciphertext
 * has not been touched yet. A runtime uses {@link #manifest()} (model id, version, digest) to ask
 * for the data key and to refuse rollback, then calls {@link #decrypt} once. Not thread-safe;
 * single use.
 */
public final class SealedModelReader {
  private final ReadableByteChannel in;
  private final Manifest manifest;
  private final byte[] keyCheck;
  private boolean used;

  private SealedModelReader(ReadableByteChannel in, Manifest manifest, byte[] keyCheck) {
    this.in = in;
    this.manifest = manifest;
    this.keyCheck = keyCheck;
  }

  static SealedModelReader readHeader(ReadableByteChannel in, PublisherKeyRing publishers)
      throws SealException, IOException {
    byte[] magic = readFully(in, SealedModel.MAGIC_V1.length, "magic");
    if (!Arrays.equals(
        magic,
        0,
        SealedModel.MAGIC_PREFIX_LENGTH,
        SealedModel.MAGIC_V1,
        0,
        SealedModel.MAGIC_PREFIX_LENGTH)) {
      throw new SealException(
          SealException.BAD_MAGIC, "not an Arca sealed model package (magic is not ARCASM)");
    }
    if (magic[6] != SealedModel.MAGIC_V1[6] || magic[7] != SealedModel.MAGIC_V1[7]) {
      throw new SealException(
          SealException.UNSUPPORTED_VERSION,
          "sealed model format version "
              + (((magic[6] & 0xff) << 8) | (magic[7] & 0xff))
              + " is not supported (this build reads version 1); upgrade the runtime");
    }
    long manifestLength = toUnsigned(readFully(in, 4, "manifest length"));
    if (manifestLength < 1 || manifestLength > Manifest.MAX_ENCODED_LENGTH) {
      throw new SealException(
          SealException.BAD_HEADER,
          "manifest length " + manifestLength + " is outside 1.." + Manifest.MAX_ENCODED_LENGTH);
    }
    byte[] encoded = readFully(in, (int) manifestLength, "manifest");
    // Parsed before reading on, so a wrong manifest length is reported as a bad manifest.
    Manifest manifest = Manifest.parse(encoded);
    int sigLength = (int) toUnsigned(readFully(in, 2, "signature length"));
    if (sigLength < 1 || sigLength > SealedModel.MAX_SIGNATURE_LENGTH) {
      throw new SealException(
          SealException.BAD_HEADER,
          "signature length " + sigLength + " is outside 1.." + SealedModel.MAX_SIGNATURE_LENGTH);
    }
    byte[] signature = readFully(in, sigLength, "signature");
    byte[] keyCheck = readFully(in, SealedModel.KEY_CHECK_LENGTH, "key check");
    PublisherPublicKey key;
    try {
      key = publishers.require(manifest.publisherKeyId());
    } catch (SignatureException e) {
      throw new SealException(
          SealException.UNKNOWN_PUBLISHER_KEY,
          "the manifest is signed by publisher key '"
              + manifest.publisherKeyId()
              + "', which is not in the trusted key ring");
    }
    try {
      key.verify(signature, SealedModel.signedBytes(encoded));
    } catch (SignatureException e) {
      throw new SealException(
          SealException.MANIFEST_SIGNATURE_INVALID,
          "the manifest signature does not verify under publisher key '"
              + key.keyId()
              + "': the package was altered or signed by someone else");
    }
    return new SealedModelReader(in, manifest, keyCheck);
  }

  /** The manifest; its publisher signature has verified. */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * Checks that {@code dataKey} is this package's key (its key check value, in constant time),
   * without decrypting anything: what a service does before it accepts a published package with its
   * key.
   *
   * @throws SealException {@code seal.wrong-data-key}
   */
  public void requireDataKey(DataKey dataKey) throws SealException {
    if (!MessageDigest.isEqual(dataKey.keyCheck(manifest.digest()), keyCheck)) {
      throw new SealException(
          SealException.WRONG_DATA_KEY,
          "this data key does not belong to model '"
              + manifest.modelId()
              + "' v"
              + manifest.version()
              + " (or the package's key check field was altered)");
    }
  }

  /**
   * Decrypts the ciphertext into {@code dst} (from its position; it needs at least plaintextSize
   * bytes remaining) or, if null, into a freshly allocated direct buffer. Returns only after every
   * segment authenticated, the final-segment marker was seen and the size matched (and, with {@link
   * PlaintextCheck#SHA256}, the digest). On any failure the written region is wiped.
   *
   * @throws SealException {@code seal.wrong-data-key}, {@code seal.buffer-too-small}, {@code
   *     seal.segment-tampered}, {@code seal.truncated}, {@code seal.manifest-mismatch}
   * @throws IOException if the underlying channel fails
   */
  public OpenedModel decrypt(DataKey dataKey, ByteBuffer dst, PlaintextCheck check)
      throws SealException, IOException {
    if (used) {
      throw new IllegalStateException("decrypt may be called once per reader");
    }
    used = true;
    requireDataKey(dataKey);
    byte[] digest = manifest.digest();
    long size = manifest.plaintextSize();
    ByteBuffer out;
    if (dst == null) {
      if (size > Integer.MAX_VALUE - 8) {
        throw new SealException(
            SealException.BUFFER_TOO_SMALL,
            "a model of " + size + " bytes does not fit one ByteBuffer (2 GiB limit)");
      }
      out = ByteBuffer.allocateDirect((int) size);
    } else {
      if (dst.remaining() < size) {
        throw new SealException(
            SealException.BUFFER_TOO_SMALL,
            "the output buffer has " + dst.remaining() + " bytes left, the model needs " + size);
      }
      out = dst.slice();
      out.limit((int) size);
      out = out.slice();
    }
    MessageDigest sha = check == PlaintextCheck.SHA256 ? Sha256.newDigest() : null;
    boolean ok = false;
    try {
      decryptSegments(dataKey.streamingAead(), digest, size, out, sha);
      if (sha != null && !MessageDigest.isEqual(sha.digest(), manifest.plaintextSha256())) {
        throw new SealException(
            SealException.MANIFEST_MISMATCH,
            "the decrypted model's SHA-256 differs from the signed manifest");
      }
      out.flip();
      ok = true;
      return new OpenedModel(manifest, out);
    } finally {
      if (!ok) {
        Secrets.wipe(out);
      }
    }
  }

  /**
   * Decrypts Tink's AES-GCM-HKDF streaming ciphertext segment by segment straight into {@code out}.
   * The segment layout follows from the manifest's plaintext size (Tink's expectedCiphertextSize),
   * so a short read is truncation and an authentication failure is tampering, with no guessing; one
   * reusable 1 MiB ciphertext buffer is the only allocation.
   */
  private void decryptSegments(
      AesGcmHkdfStreaming aead, byte[] aad, long size, ByteBuffer out, MessageDigest sha)
      throws SealException, IOException {
    int headerLength = aead.getHeaderLength();
    int segmentSize = aead.getCiphertextSegmentSize();
    int tag = aead.getCiphertextOverhead();
    long remaining = aead.expectedCiphertextSize(size) - headerLength;
    ByteBuffer header = readCiphertext(ByteBuffer.allocate(headerLength));
    StreamSegmentDecrypter decrypter;
    try {
      decrypter = aead.newStreamSegmentDecrypter();
      decrypter.init(header, aad);
    } catch (GeneralSecurityException e) {
      throw tampered("the ciphertext header is invalid");
    }
    ByteBuffer ct = ByteBuffer.allocate(segmentSize);
    int segment = 0;
    while (remaining > 0) {
      int length =
          (int) Math.min(segment == 0 ? segmentSize - headerLength : segmentSize, remaining);
      ct.clear().limit(length);
      readCiphertext(ct);
      remaining -= length;
      int start = out.position();
      try {
        decrypter.decryptSegment(ct, segment, remaining == 0, out);
      } catch (GeneralSecurityException e) {
        throw tampered("ciphertext segment " + segment + " failed authentication");
      }
      if (out.position() - start != length - tag) {
        throw tampered("ciphertext segment " + segment + " has the wrong length");
      }
      if (sha != null) {
        ByteBuffer view = out.duplicate();
        view.position(start).limit(out.position());
        sha.update(view);
      }
      segment++;
    }
    if (out.hasRemaining()) {
      throw new SealException(
          SealException.MANIFEST_MISMATCH, "the ciphertext is shorter than the manifest's size");
    }
    ByteBuffer probe = ByteBuffer.allocate(1);
    int n;
    while ((n = in.read(probe)) == 0) {
      // a non-blocking source may return 0; keep asking until data or end of stream
    }
    if (n > 0) {
      throw new SealException(
          SealException.TRAILING_DATA,
          "bytes follow the last ciphertext segment: the package was altered");
    }
  }

  private ByteBuffer readCiphertext(ByteBuffer b) throws SealException, IOException {
    while (b.hasRemaining()) {
      if (in.read(b) < 0) {
        throw new SealException(
            SealException.TRUNCATED,
            "the package ends before its last ciphertext segment; download it again");
      }
    }
    b.flip();
    return b;
  }

  private static SealException tampered(String what) {
    return new SealException(
        SealException.SEGMENT_TAMPERED, what + ": the package was altered (or is corrupt)");
  }

  private static byte[] readFully(ReadableByteChannel in, int length, String field)
      throws SealException, IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (in.read(b) < 0) {
        throw new SealException(
            SealException.TRUNCATED, "the package ends inside its " + field + " field");
      }
    }
    return b.array();
  }

  private static long toUnsigned(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }
}
