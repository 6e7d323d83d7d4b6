// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import dev.arca.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * SHA-256 and size of a plaintext model, computed in one streaming pass: the first pass of sealing,
 * whose results go into the {@link Manifest}.
 */
public final class PlaintextDigest {
  private final byte[] sha256;
  private final long size;

  private PlaintextDigest(byte[] sha256, long size) {
    this.sha256 = sha256;
    this.size = size;
  }

  /** Reads {@code in} to its end (does not close it). */
  public static PlaintextDigest of(InputStream in) throws IOException {
    MessageDigest sha = Sha256.newDigest();
    byte[] buf = new byte[1 << 16];
    long size = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      sha.update(buf, 0, n);
      size += n;
    }
    java.util.Arrays.fill(buf, (byte) 0);
    return new PlaintextDigest(sha.digest(), size);
  }

  /** Reads the file once. */
  public static PlaintextDigest of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    }
  }

  /** SHA-256 of the plaintext (a copy). */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** Size of the plaintext in bytes. */
  public long size() {
    return size;
  }
}
