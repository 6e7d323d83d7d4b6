// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the proof verifiers with arbitrary sizes, hashes and proofs: only {@link
 * ProofVerificationException} may escape, and anything accepted must equal the genuine proof of a
 * real 1000-leaf log (so a forged inclusion or consistency proof is never accepted).
 */
class MerkleVerifierFuzzTest {
  private static final int LEAVES = 1000;
  private static final InMemoryHashStore STORE = new InMemoryHashStore();

  static {
    for (int i = 0; i < LEAVES; i++) {
      STORE.append(MerkleHashes.leafHash(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
  }

  @FuzzTest(maxDuration = "10s")
  void verify(FuzzedDataProvider data) throws IOException {
    boolean inclusion = data.consumeBoolean();
    long a = data.consumeLong(-2, LEAVES + 2);
    long b = data.consumeLong(-2, LEAVES + 2);
    boolean genuineStart = data.consumeBoolean();
    List<byte[]> proof = new ArrayList<>();
    int count = data.consumeInt(0, 12);
    for (int i = 0; i < count; i++) {
      proof.add(data.consumeBytes(data.consumeBoolean() ? 32 : data.consumeInt(0, 40)));
    }
    if (inclusion) {
      checkInclusion(a, b, genuineStart, proof, data);
    } else {
      checkConsistency(a, b, genuineStart, proof, data);
    }
  }

  private static void checkInclusion(
      long index, long size, boolean genuine, List<byte[]> proof, FuzzedDataProvider data)
      throws IOException {
    boolean real = index >= 0 && index < size && size <= LEAVES;
    byte[] leaf =
        genuine && real
            ? STORE.readHashes(List.of(new NodeId(0, index))).get(0)
            : data.consumeBytes(32);
    byte[] root = real ? MerkleProver.rootHash(STORE, size) : data.consumeBytes(32);
    try {
      MerkleVerifier.verifyInclusion(index, size, leaf, proof, root);
    } catch (ProofVerificationException e) {
      return;
    }
    assertThat(real).as("accepted a proof for a position that does not exist").isTrue();
    assertThat(same(proof, MerkleProver.inclusionProof(STORE, index, size))).isTrue();
  }

  private static void checkConsistency(
      long size1, long size2, boolean genuine, List<byte[]> proof, FuzzedDataProvider data)
      throws IOException {
    boolean real = size1 > 0 && size1 <= size2 && size2 <= LEAVES;
    byte[] root1 = real && genuine ? MerkleProver.rootHash(STORE, size1) : data.consumeBytes(32);
    byte[] root2 = real ? MerkleProver.rootHash(STORE, size2) : data.consumeBytes(32);
    try {
      MerkleVerifier.verifyConsistency(size1, size2, root1, root2, proof);
    } catch (ProofVerificationException e) {
      return;
    }
    if (real && genuine && size1 < size2) {
      assertThat(same(proof, MerkleProver.consistencyProof(STORE, size1, size2))).isTrue();
    } else if (size1 != size2) {
      // Accepting with a made-up root would mean the fuzzer found a hash collision.
      assertThat(real && Arrays.equals(root1, MerkleProver.rootHash(STORE, size1))).isTrue();
    }
  }

  private static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
