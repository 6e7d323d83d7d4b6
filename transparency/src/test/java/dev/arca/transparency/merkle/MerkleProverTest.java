// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks generation against a direct transcription of RFC 9162's recursive MTH definition, for
 * every index and size pair up to 70 leaves, and that every bit of every proof matters.
 */
class MerkleProverTest {
  private static final int MAX = 70;

  private final List<byte[]> leaves = new ArrayList<>();
  private final InMemoryHashStore store = new InMemoryHashStore();

  MerkleProverTest() {
    for (int i = 0; i < MAX; i++) {
      byte[] leaf = ("entry " + i).getBytes(StandardCharsets.UTF_8);
      leaves.add(leaf);
      store.append(MerkleHashes.leafHash(leaf));
    }
  }

  @Test
  void rootHashMatchesTheRecursiveDefinitionForEverySize() throws IOException {
    for (int n = 0; n <= MAX; n++) {
      assertThat(MerkleProver.rootHash(store, n)).as("size %d", n).isEqualTo(mth(0, n));
    }
    assertThat(MerkleProver.rootHash(store, 0)).isEqualTo(MerkleHashes.emptyRoot());
  }

  @Test
  void everyInclusionProofVerifiesAndHasThePredictedLength() throws Exception {
    for (int n = 1; n <= MAX; n++) {
      byte[] root = MerkleProver.rootHash(store, n);
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = MerkleProver.inclusionProof(store, m, n);
        assertThat(proof).hasSize(MerkleVerifier.inclusionProofLength(m, n));
        long size = n;
        assertThat(MerkleProver.inclusionNodes(m, n)).allMatch(node -> node.endLeaf() <= size);
        MerkleVerifier.verifyInclusion(m, n, MerkleHashes.leafHash(leaves.get(m)), proof, root);
      }
    }
  }

  @Test
  void everyConsistencyProofVerifiesAndHasThePredictedLength() throws Exception {
    for (int n = 1; n <= MAX; n++) {
      byte[] root2 = MerkleProver.rootHash(store, n);
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = MerkleProver.consistencyProof(store, m, n);
        assertThat(proof).hasSize(MerkleVerifier.consistencyProofLength(m, n));
        MerkleVerifier.verifyConsistency(m, n, MerkleProver.rootHash(store, m), root2, proof);
      }
    }
  }

  @Test
  void flippingAnyBitOfAnInclusionProofIsRejected() throws IOException {
    int n = 45;
    int m = 22;
    byte[] root = MerkleProver.rootHash(store, n);
    byte[] leafHash = MerkleHashes.leafHash(leaves.get(m));
    List<byte[]> proof = MerkleProver.inclusionProof(store, m, n);
    for (int i = 0; i < proof.size(); i++) {
      for (int bit = 0; bit < MerkleHashes.HASH_SIZE * 8; bit++) {
        List<byte[]> bad = flip(proof, i, bit);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(m, n, leafHash, bad, root))
            .isInstanceOf(RootMismatchException.class);
      }
    }
    for (int bit = 0; bit < MerkleHashes.HASH_SIZE * 8; bit++) {
      byte[] badLeaf = flipBit(leafHash, bit);
      byte[] badRoot = flipBit(root, bit);
      assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(m, n, badLeaf, proof, root))
          .isInstanceOf(RootMismatchException.class);
      assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(m, n, leafHash, proof, badRoot))
          .isInstanceOf(RootMismatchException.class);
    }
  }

  @Test
  void flippingAnyBitOfAConsistencyProofIsRejected() throws IOException {
    int m = 13;
    int n = 61;
    byte[] root1 = MerkleProver.rootHash(store, m);
    byte[] root2 = MerkleProver.rootHash(store, n);
    List<byte[]> proof = MerkleProver.consistencyProof(store, m, n);
    for (int i = 0; i < proof.size(); i++) {
      for (int bit = 0; bit < MerkleHashes.HASH_SIZE * 8; bit++) {
        List<byte[]> bad = flip(proof, i, bit);
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(m, n, root1, root2, bad))
            .isInstanceOf(RootMismatchException.class);
      }
    }
  }

  @Test
  void mismatchCarriesExpectedAndCalculatedRoots() throws IOException {
    byte[] root = MerkleProver.rootHash(store, 8);
    byte[] wrongRoot = MerkleProver.rootHash(store, 9);
    List<byte[]> proof = MerkleProver.inclusionProof(store, 3, 8);
    assertThatThrownBy(
            () ->
                MerkleVerifier.verifyInclusion(
                    3, 8, MerkleHashes.leafHash(leaves.get(3)), proof, wrongRoot))
        .isInstanceOfSatisfying(
            RootMismatchException.class,
            e -> {
              assertThat(e.id()).isEqualTo("transparency.proof.root-mismatch");
              assertThat(e.expectedRoot()).isEqualTo(wrongRoot);
              assertThat(e.calculatedRoot()).isEqualTo(root);
            });
  }

  @Test
  void preconditionsAreEnforced() {
    assertThatThrownBy(() -> MerkleProver.inclusionProof(store, 5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 <= index < size");
    assertThatThrownBy(() -> MerkleProver.consistencyProof(store, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 < size1 <= size2");
    assertThatThrownBy(() -> MerkleProver.rootHash(store, MAX + 1)).isInstanceOf(IOException.class);
  }

  private byte[] mth(int lo, int hi) {
    int n = hi - lo;
    if (n == 0) {
      return MerkleHashes.emptyRoot();
    }
    if (n == 1) {
      return MerkleHashes.leafHash(leaves.get(lo));
    }
    int k = Integer.highestOneBit(n - 1);
    return MerkleHashes.nodeHash(mth(lo, lo + k), mth(lo + k, hi));
  }

  private static List<byte[]> flip(List<byte[]> proof, int i, int bit) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.set(i, flipBit(proof.get(i), bit));
    return copy;
  }

  static byte[] flipBit(byte[] b, int bit) {
    byte[] c = Arrays.copyOf(b, b.length);
    c[bit / 8] ^= (byte) (1 << (bit % 8));
    return c;
  }
}
