// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Verifies inclusion and consistency proofs (RFC 9162 sections 2.1.3.2 and 2.1.4.2) without any
 * store. Methods return normally only if the proof verifies; otherwise they throw {@link
 * ProofVerificationException} (or its {@link RootMismatchException}). Proofs of the wrong length
 * are rejected before any hashing, so truncated, padded or re-ordered proofs fail with {@code
 * transparency.proof.wrong-length}. Root comparisons are constant-time.
 */
public final class MerkleVerifier {
  private MerkleVerifier() {}

  /**
   * Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose
   * root is {@code root}.
   *
   * <p>Requires {@code 0 <= index < size}, 32-byte hashes and a proof ordered from the leaf up.
   *
   * @throws ProofVerificationException if any requirement fails or the roots differ
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofVerificationException {
    requireHash("root", root);
    byte[] calculated = rootFromInclusionProof(index, size, leafHash, proof);
    if (!MessageDigest.isEqual(calculated, root)) {
      throw new RootMismatchException("root", root, calculated);
    }
  }

  /**
   * The root that an inclusion proof leads to; useful when the trusted root is not at hand yet.
   * Same requirements as {@link #verifyInclusion}.
   *
   * @throws ProofVerificationException if the index, hashes or proof length are invalid
   */
  public static byte[] rootFromInclusionProof(
      long index, long size, byte[] leafHash, List<byte[]> proof)
      throws ProofVerificationException {
    Objects.requireNonNull(proof, "proof");
    if (index < 0 || index >= size) {
      throw new ProofVerificationException(
          "transparency.proof.index-out-of-range",
          "leaf index " + index + " is not in a tree of size " + size);
    }
    requireHash("leaf hash", leafHash);
    int expectedLength = inclusionProofLength(index, size);
    requireLength(expectedLength, proof);
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashes.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = MerkleHashes.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return r;
  }

  /**
   * Verifies that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree
   * of {@code size2} leaves with root {@code root2}.
   *
   * <p>Requires {@code 0 < size1 <= size2}. Equal sizes need an empty proof and equal roots (the
   * roots are then compared as given, nothing is hashed); otherwise roots and proof hashes must be
   * 32 bytes.
   *
   * @throws ProofVerificationException if any requirement fails or a root differs
   */
  public static void verifyConsistency(
      long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
      throws ProofVerificationException {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(root1, "root1");
    Objects.requireNonNull(root2, "root2");
    if (size1 < 0 || size1 > size2) {
      throw new ProofVerificationException(
          "transparency.proof.size-order",
          "size1 " + size1 + " must be between 0 and size2 " + size2);
    }
    if (size1 == 0) {
      // Every tree extends the empty tree; a "proof" of that proves nothing, so refuse to pretend.
      throw new ProofVerificationException(
          "transparency.proof.empty-tree",
          "consistency from the empty tree is not defined; start from a non-empty checkpoint");
    }
    if (size1 == size2) {
      requireLength(0, proof);
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new RootMismatchException("root2", root1, root2);
      }
      return;
    }
    requireHash("root1", root1);
    requireHash("root2", root2);
    boolean firstIsFullSubtree = Long.bitCount(size1) == 1;
    int expectedLength = consistencyProofLength(size1, size2);
    requireLength(expectedLength, proof);

    // RFC 9162 2.1.4.2: if size1 is a power of two its root is itself the first path element.
    int next = 0;
    byte[] start = firstIsFullSubtree ? root1 : proof.get(next++);
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = start;
    byte[] sr = start;
    for (; next < proof.size(); next++) {
      byte[] c = proof.get(next);
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashes.nodeHash(c, fr);
        sr = MerkleHashes.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleHashes.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new RootMismatchException("root1", root1, fr);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new RootMismatchException("root2", root2, sr);
    }
  }

  /** Number of hashes in an inclusion proof; requires {@code 0 <= index < size}. */
  public static int inclusionProofLength(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "requires 0 <= index < size, got index " + index + ", size " + size);
    }
    // Runs the RFC 9162 loop without hashing: one proof element per iteration until sn is 0.
    long fn = index;
    long sn = size - 1;
    int length = 0;
    while (sn != 0) {
      if ((fn & 1) == 0 && fn == sn) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
      fn >>>= 1;
      sn >>>= 1;
      length++;
    }
    return length;
  }

  /** Number of hashes in a consistency proof; requires {@code 0 < size1 <= size2}. */
  public static int consistencyProofLength(long size1, long size2) {
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException(
          "requires 0 < size1 <= size2, got size1 " + size1 + ", size2 " + size2);
    }
    if (size1 == size2) {
      return 0;
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    int length = Long.bitCount(size1) == 1 ? 0 : 1;
    while (sn != 0) {
      if ((fn & 1) == 0 && fn == sn) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
      fn >>>= 1;
      sn >>>= 1;
      length++;
    }
    return length;
  }

  private static void requireLength(int expected, List<byte[]> proof)
      throws ProofVerificationException {
    if (proof.size() != expected) {
      throw new ProofVerificationException(
          "transparency.proof.wrong-length",
          "proof has " + proof.size() + " hashes, expected " + expected);
    }
    for (int i = 0; i < proof.size(); i++) {
      requireHash("proof[" + i + "]", proof.get(i));
    }
  }

  private static void requireHash(String what, byte[] hash) throws ProofVerificationException {
    if (hash == null || hash.length != MerkleHashes.HASH_SIZE) {
      throw new ProofVerificationException(
          "transparency.proof.malformed-hash",
          what
              + " must be "
              + MerkleHashes.HASH_SIZE
              + " bytes, got "
              + (hash == null ? "none" : hash.length));
    }
  }
}
