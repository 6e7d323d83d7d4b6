// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) for every module that reaches {@code crypto}: the one place that turns the
 * JDK's checked {@link NoSuchAlgorithmException} — impossible, every Java platform must provide
 * SHA-256 — into an error. Modules below {@code crypto} ({@code evidence}, {@code policy}) keep
 * their own single helper; docs/architecture.md says why.
 */
public final class Sha256 {

  /** The length of a SHA-256 digest in bytes. */
  public static final int LENGTH = 32;

  private Sha256() {}

  /** The 32-byte SHA-256 digest of {@code data}. */
  public static byte[] hash(byte[] data) {
    return newDigest().digest(data);
  }

  /** The SHA-256 digest of {@code data} as 64 lowercase hex digits. */
  public static String hex(byte[] data) {
    return HexFormat.of().formatHex(hash(data));
  }

  /**
   * A fresh SHA-256 digest for data that comes in parts or as a stream. A {@link MessageDigest}
   * keeps state and is not thread-safe: take one per computation.
   */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "this Java platform lacks SHA-256, which every one must have", e);
    }
  }
}
