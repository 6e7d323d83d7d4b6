// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.transparency.note.MalformedNoteException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A receipt as data: the index must be inside the tree, its JSON form must have the right types,
 * and two receipts are equal exactly when every field is.
 */
class ReceiptFormTest {
  static final byte[] CP = "note".getBytes(StandardCharsets.UTF_8);
  static final List<byte[]> PROOF = List.of(new byte[] {1, 2}, new byte[] {3});

  @Test
  void theIndexIsInsideTheTree() {
    assertThat(new Receipt(0, 1, List.of(), CP).index()).isZero();
    assertThat(new Receipt(8, 9, List.of(), CP).index()).isEqualTo(8);
    for (long[] bad : new long[][] {{9, 9}, {10, 9}, {-1, 9}}) {
      assertThatThrownBy(() -> new Receipt(bad[0], bad[1], List.of(), CP))
          .as("index %d size %d", bad[0], bad[1])
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  static void malformed(Consumer<ObjectNode> edit) {
    ObjectNode n = new Receipt(4, 9, PROOF, CP).toJson();
    edit.accept(n);
    assertThatThrownBy(() -> Receipt.fromJson(n))
        .as(n.toString())
        .isInstanceOfSatisfying(
            MalformedNoteException.class, e -> assertThat(e.id()).isEqualTo("receipt.malformed"));
  }

  @Test
  void jsonWithMissingOrMistypedFieldsIsMalformed() {
    malformed(n -> n.put("index", "4"));
    malformed(n -> n.put("index", 4.5));
    malformed(n -> n.put("treeSize", 9.5));
    malformed(n -> n.remove("treeSize"));
    malformed(n -> n.put("proof", "AQI="));
    malformed(n -> n.withArray("proof").add(7));
    malformed(n -> n.put("checkpoint", 1));
    malformed(n -> n.put("index", 9));
  }

  @Test
  void jsonRoundTripsEveryField() throws Exception {
    Receipt r = new Receipt(4, 9, PROOF, CP);
    Receipt back =
        Receipt.fromJson(
            new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r.toJson())));
    assertThat(back.index()).isEqualTo(4);
    assertThat(back.treeSize()).isEqualTo(9);
    assertThat(back.proof()).containsExactly(new byte[] {1, 2}, new byte[] {3});
    assertThat(back.checkpoint()).isEqualTo(CP);
  }

  @Test
  void equalExactlyWhenEveryFieldIs() {
    Receipt r = new Receipt(4, 9, PROOF, CP);
    assertThat(r).isEqualTo(new Receipt(4, 9, List.of(new byte[] {1, 2}, new byte[] {3}), CP));
    assertThat(r).hasSameHashCodeAs(new Receipt(4, 9, List.of(), CP));
    assertThat(r.hashCode()).isNotEqualTo(new Receipt(4, 10, List.of(), CP).hashCode());
    assertThat(r.hashCode()).isNotEqualTo(new Receipt(5, 9, List.of(), CP).hashCode());
    assertThat(r).isNotEqualTo(new Receipt(5, 9, PROOF, CP));
    assertThat(r).isNotEqualTo(new Receipt(4, 10, PROOF, CP));
    assertThat(r).isNotEqualTo(new Receipt(4, 9, PROOF.subList(0, 1), CP));
    assertThat(r).isNotEqualTo(new Receipt(4, 9, List.of(new byte[] {1, 2}, new byte[] {4}), CP));
    assertThat(r).isNotEqualTo(new Receipt(4, 9, PROOF, new byte[] {1}));
    assertThat(r).isNotEqualTo("receipt");
    assertThat(r.toString()).isEqualTo("Receipt[index 4, treeSize 9]");
  }
}
