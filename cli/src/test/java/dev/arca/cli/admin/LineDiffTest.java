// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineDiffTest {
  @Test
  void equalTextsHaveNoDiff() {
    assertThat(LineDiff.unified("a\nb\n", "a\nb\n", "v1", "v2")).isEmpty();
  }

  @Test
  void marksRemovedAndAddedLinesAroundCommonOnes() {
    assertThat(LineDiff.unified("a\nb\nc", "a\nx\nc", "v1", "v2"))
        .containsExactly("--- v1", "+++ v2", "  a", "- b", "+ x", "  c");
  }
}
