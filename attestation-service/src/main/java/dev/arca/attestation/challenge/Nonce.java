// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.challenge;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A challenge nonce: {@code random(16) || expiry-epoch-seconds(8, big-endian) || HMAC-SHA256(key,
 * "arca-nonce-v1" || random || expiry)(32)}, 56 bytes, sent as unpadded base64url. Stateless: any
 * replica holding the MAC key can check it. Immutable.
 */
public final class Nonce {
  static final int RANDOM_BYTES = 16;
  static final int EXPIRY_BYTES = 8;
  static final int MAC_BYTES = 32;
  public static final int LENGTH = RANDOM_BYTES + EXPIRY_BYTES + MAC_BYTES;

  private final byte[] bytes;
  private final Instant expiresAt;

  Nonce(byte[] bytes, Instant expiresAt) {
    this.bytes = bytes.clone();
    this.expiresAt = expiresAt;
  }

  /** The nonce's bytes: what the report data binds. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The random part: the key under which its single use is recorded. */
  public byte[] id() {
    return Arrays.copyOf(bytes, RANDOM_BYTES);
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public String encoded() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "Nonce[expires " + expiresAt + "]";
  }
}
