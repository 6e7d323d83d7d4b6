// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the verifier refuses before it hashes: hashes that are not 32 bytes (as malformed, not as a
 * root mismatch), indexes and sizes outside their ranges, and consistency from the empty tree; and
 * the proof-length functions exactly at their range limits.
 */
class ProofInputChecksTest {
  static final String MALFORMED = "transparency.proof.malformed-hash";
  static InMemoryHashStore store;
  static byte[] leaf5;

  @BeforeAll
  static void tree() throws IOException {
    store = new InMemoryHashStore();
    for (int i = 0; i < 8; i++) {
      store.append(MerkleHashes.leafHash(new byte[] {(byte) i}));
    }
    leaf5 = MerkleHashes.leafHash(new byte[] {5});
  }

  static void refused(ThrowingRunnable r, String id) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            ProofVerificationException.class, e -> assertThat(e.id()).isEqualTo(id));
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void inclusionInputsThatAreNot32BytesAreMalformed() throws Exception {
    List<byte[]> proof = MerkleProver.inclusionProof(store, 5, 8);
    byte[] root = MerkleProver.rootHash(store, 8);
    MerkleVerifier.verifyInclusion(5, 8, leaf5, proof, root);

    byte[] shortRoot = Arrays.copyOf(root, 31);
    refused(() -> MerkleVerifier.verifyInclusion(5, 8, leaf5, proof, shortRoot), MALFORMED);
    refused(() -> MerkleVerifier.verifyInclusion(5, 8, leaf5, proof, null), MALFORMED);
    refused(
        () -> MerkleVerifier.verifyInclusion(5, 8, Arrays.copyOf(leaf5, 31), proof, root),
        MALFORMED);
    refused(() -> MerkleVerifier.rootFromInclusionProof(5, 8, null, proof), MALFORMED);
    for (int i = 0; i < proof.size(); i++) {
      List<byte[]> bad = new ArrayList<>(proof);
      bad.set(i, Arrays.copyOf(proof.get(i), 33));
      refused(() -> MerkleVerifier.verifyInclusion(5, 8, leaf5, bad, root), MALFORMED);
    }
  }

  @Test
  void consistencyInputsThatAreNot32BytesAreMalformed() throws Exception {
    List<byte[]> proof = MerkleProver.consistencyProof(store, 3, 8);
    byte[] root3 = MerkleProver.rootHash(store, 3);
    byte[] root8 = MerkleProver.rootHash(store, 8);
    MerkleVerifier.verifyConsistency(3, 8, root3, root8, proof);

    refused(
        () -> MerkleVerifier.verifyConsistency(3, 8, Arrays.copyOf(root3, 31), root8, proof),
        MALFORMED);
    refused(
        () -> MerkleVerifier.verifyConsistency(3, 8, root3, Arrays.copyOf(root8, 31), proof),
        MALFORMED);
  }

  @Test
  void consistencyNeedsANonEmptyFirstTreeNoLargerThanTheSecond() throws Exception {
    byte[] root5 = MerkleProver.rootHash(store, 5);
    refused(
        () -> MerkleVerifier.verifyConsistency(0, 5, root5, root5, List.of()),
        "transparency.proof.empty-tree");
    refused(
        () -> MerkleVerifier.verifyConsistency(-1, 5, root5, root5, List.of()),
        "transparency.proof.size-order");
    refused(
        () -> MerkleVerifier.verifyConsistency(6, 5, root5, root5, List.of()),
        "transparency.proof.size-order");
    // Equal sizes: nothing to prove beyond equal roots.
    MerkleVerifier.verifyConsistency(5, 5, root5, root5.clone(), List.of());
    assertThatThrownBy(
            () ->
                MerkleVerifier.verifyConsistency(
                    5, 5, root5, MerkleProver.rootHash(store, 6), List.of()))
        .isInstanceOf(RootMismatchException.class);
  }

  @Test
  void inclusionProofLengthIsDefinedForIndexesBelowTheSize() {
    assertThat(MerkleVerifier.inclusionProofLength(0, 1)).isZero();
    assertThat(MerkleVerifier.inclusionProofLength(4, 5)).isEqualTo(1);
    assertThat(MerkleVerifier.inclusionProofLength(0, 5)).isEqualTo(3);
    for (long[] bad : new long[][] {{5, 5}, {6, 5}, {-1, 5}, {0, 0}}) {
      assertThatThrownBy(() -> MerkleVerifier.inclusionProofLength(bad[0], bad[1]))
          .as("index %d size %d", bad[0], bad[1])
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void consistencyProofLengthIsDefinedForNonEmptyPrefixes() {
    assertThat(MerkleVerifier.consistencyProofLength(1, 1)).isZero();
    assertThat(MerkleVerifier.consistencyProofLength(5, 5)).isZero();
    assertThat(MerkleVerifier.consistencyProofLength(4, 8)).isEqualTo(1);
    assertThat(MerkleVerifier.consistencyProofLength(3, 8)).isEqualTo(4);
    for (long[] bad : new long[][] {{0, 5}, {-1, 5}, {6, 5}}) {
      assertThatThrownBy(() -> MerkleVerifier.consistencyProofLength(bad[0], bad[1]))
          .as("size1 %d size2 %d", bad[0], bad[1])
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
