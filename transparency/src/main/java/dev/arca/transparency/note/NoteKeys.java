// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Key names and key ids as defined by c2sp.org/signed-note ("Signatures", "Verifier keys"). */
public final class NoteKeys {
  /** Signature type byte of plain Ed25519 note signatures. */
  public static final byte TYPE_ED25519 = 0x01;

  private NoteKeys() {}

  /**
   * {@code SHA-256(keyName || 0x0A || type || publicKey)[:4]} as a big-endian int.
   *
   * @throws IllegalArgumentException if the key name is invalid
   */
  public static int keyId(String keyName, byte type, byte[] publicKey) {
    requireValidKeyName(keyName);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(keyName.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0x0A);
      md.update(type);
      md.update(publicKey);
      return ByteBuffer.wrap(md.digest()).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** True if the name is non-empty and has no Unicode space, control character or {@code +}. */
  public static boolean isValidKeyName(String keyName) {
    if (keyName == null || keyName.isEmpty()) {
      return false;
    }
    return keyName
        .codePoints()
        .noneMatch(
            c -> c == '+' || c < 0x20 || Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  static void requireValidKeyName(String keyName) {
    if (!isValidKeyName(keyName)) {
      throw new IllegalArgumentException(
          "key name must be non-empty without spaces or '+': " + keyName);
    }
  }
}
