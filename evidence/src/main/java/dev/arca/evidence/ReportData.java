// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The report data a runtime's evidence must bind (architecture, flow 3 step 5): {@code
 * SHA-256(nonce || runtimePublicKey || SHA-256(measurementLog))}, or, from a runtime that signs
 * usage reports, {@code SHA-256(nonce || runtimePublicKey || SHA-256(measurementLog) || usageKey)}:
 * the usage key (32-byte Ed25519) is attested with the runtime's HPKE key. One definition for the
 * device runtime that builds it, the service that expects it and the auditor who recomputes it from
 * the audit record (which keeps only the measurement log's digest).
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
    return digest(nonce, runtimePublicKey, measurementLogSha256);
  }

  /** The same from the measurement log itself. */
  public static byte[] ofLog(byte[] nonce, byte[] runtimePublicKey, byte[] measurementLog) {
    return of(nonce, runtimePublicKey, sha256().digest(measurementLog));
  }

  /**
   * The report data of a runtime that also attests its usage-report key.
   *
   * @param usageKey the runtime's 32-byte Ed25519 usage-report key, or {@code null} for none (then
   *     the same as {@link #of(byte[], byte[], byte[])})
   */
  public static byte[] of(
      byte[] nonce, byte[] runtimePublicKey, byte[] measurementLogSha256, byte[] usageKey) {
    return usageKey == null
        ? digest(nonce, runtimePublicKey, measurementLogSha256)
        : digest(nonce, runtimePublicKey, measurementLogSha256, usageKey);
  }

  /** The same from the measurement log itself. */
  public static byte[] ofLog(
      byte[] nonce, byte[] runtimePublicKey, byte[] measurementLog, byte[] usageKey) {
    return of(nonce, runtimePublicKey, sha256().digest(measurementLog), usageKey);
  }

  private static byte[] digest(byte[]... parts) {
    MessageDigest md = sha256();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
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
