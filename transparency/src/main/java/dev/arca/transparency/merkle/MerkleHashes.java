// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 section 2.1.1 hashing with SHA-256: {@code leaf = SHA-256(0x00 || entry)}, {@code node =
 * SHA-256(0x01 || left || right)}, empty tree = {@code SHA-256("")}. The distinct prefixes prevent
 * a leaf from being passed off as an interior node (second-preimage attack).
 *
 * <p>Thread-safe; every method returns a fresh array the caller owns.
 */
public final class MerkleHashes {
  /** Size in bytes of every hash in the tree. */
  public static final int HASH_SIZE = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  // MessageDigest is not thread-safe and costly to look up on the hot append path.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(MerkleHashes::newDigest);

  private MerkleHashes() {}

  /** Root hash of the empty tree: {@code SHA-256("")}. */
  public static byte[] emptyRoot() {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest();
  }

  /** Leaf hash of one log entry: {@code SHA-256(0x00 || entry)}. */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(LEAF_PREFIX);
    md.update(entry);
    return md.digest();
  }

  /** Interior node hash: {@code SHA-256(0x01 || left || right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
