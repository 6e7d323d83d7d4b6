// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactRangeTest {
  @Test
  void matchesStoredRootsFromAnyStartingPrefix() throws IOException {
    InMemoryHashStore store = new InMemoryHashStore();
    for (int i = 0; i < 200; i++) {
      store.append(MerkleHashes.leafHash(new byte[] {(byte) i}));
    }
    assertThat(new CompactRange().rootHash()).isEqualTo(MerkleHashes.emptyRoot());
    for (int from : new int[] {0, 1, 7, 64, 99, 128, 200}) {
      CompactRange r = CompactRange.ofPrefix(from, store.readHashes(MerkleProver.rootNodes(from)));
      assertThat(r.rootHash()).isEqualTo(MerkleProver.rootHash(store, from));
      for (int n = from; n < 200; n++) {
        r.append(store.readHashes(java.util.List.of(new NodeId(0, n))).get(0));
        assertThat(r.rootHash())
            .as("from %d size %d", from, n + 1)
            .isEqualTo(MerkleProver.rootHash(store, n + 1));
      }
      assertThat(r.size()).isEqualTo(200);
    }
  }

  @Test
  void hashesThatAreNot32BytesOrTheWrongNumberOfThemAreRefused() {
    CompactRange range = new CompactRange();
    assertThatThrownBy(() -> range.append(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(range.size()).isZero();
    // Size 3 needs two hashes (subtrees [0,2) and [2,3)).
    assertThatThrownBy(() -> CompactRange.ofPrefix(3, List.of(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactRange.ofPrefix(3, List.of(new byte[32], new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CompactRange.ofPrefix(3, List.of(new byte[32], new byte[32])).size()).isEqualTo(3);
  }
}
