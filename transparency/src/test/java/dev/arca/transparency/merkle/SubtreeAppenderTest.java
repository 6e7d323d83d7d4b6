// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A row store fed by SubtreeAppender in random batches holds what InMemoryHashStore holds. */
class SubtreeAppenderTest {
  @Test
  void batchesOfAnySizeProduceTheReferenceNodes() throws IOException {
    Map<NodeId, byte[]> rows = new HashMap<>();
    HashReader rowReader =
        nodes -> {
          List<byte[]> out = new ArrayList<>();
          for (NodeId n : nodes) {
            byte[] h = rows.get(n);
            if (h == null) {
              throw new IOException("missing " + n);
            }
            out.add(h);
          }
          return out;
        };
    InMemoryHashStore reference = new InMemoryHashStore();
    SplittableRandom random = new SplittableRandom(7);
    long size = 0;
    while (size < 3000) {
      int batch = random.nextInt(0, 300);
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        byte[] leaf =
            MerkleHashes.leafHash(new byte[] {(byte) (size + i), (byte) ((size + i) >> 8)});
        leaves.add(leaf);
        reference.append(leaf);
      }
      for (StoredNode n : SubtreeAppender.append(rowReader, size, leaves)) {
        assertThat(rows.put(n.node(), n.hash())).as("%s written twice", n.node()).isNull();
      }
      size += batch;
      assertThat(MerkleProver.rootHash(rowReader, size))
          .isEqualTo(MerkleProver.rootHash(reference, size));
    }
    for (Map.Entry<NodeId, byte[]> e : rows.entrySet()) {
      assertThat(reference.readHashes(List.of(e.getKey())).get(0)).isEqualTo(e.getValue());
    }
    // Every complete subtree of the reference is present: 2n - popcount(n) nodes.
    assertThat((long) rows.size()).isEqualTo(2 * size - Long.bitCount(size));
  }
}
