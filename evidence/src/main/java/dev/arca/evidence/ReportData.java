// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The report data a runtime's evidence must bind (architecture, flow 3 step 5): {@code
 * SHA-256(nonce || runtimePublicKey || SHA-256(measurementLog))}. One definition for the device
 * runtime that builds it, the service that expects it and the auditor who recomputes it from the
 * audit record (which keeps only the measurement log's digest).
 */
public final class ReportData {
  private ReportData() {}

  /**
   * Returns the 32-byte report data.
   *
   * @param nonce the challenge nonce
   * @param runtimePublicKey the runtime's X25519 public key
   * @param measurementLogSha256 SHA-256 of the measurement log (of the empty log when none)
   */
  public static byte[] of(byte[] nonce, byte[] runtimePublicKey, byte[] measurementLogSha256) {
    MessageDigest md = sha256();
    md.update(nonce);
    md.update(runtimePublicKey);
    md.update(measurementLogSha256);
    return md.digest();
  }

  /** The same from the measurement log itself. */
  public static byte[] ofLog(byte[] nonce, byte[] runtimePublicKey, byte[] measurementLog) {
    return of(nonce, runtimePublicKey, sha256().digest(measurementLog));
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
