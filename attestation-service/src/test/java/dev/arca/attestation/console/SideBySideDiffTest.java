// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The policy diff's rows: unchanged lines paired, changes side by side, numbers kept. */
class SideBySideDiffTest {

  @Test
  void aChangedLineSitsBesideItsReplacementAndAnAddedLineStandsAlone() {
    List<SideBySideDiff.Row> rows =
        SideBySideDiff.of(
            "name: a\nversion: 1\nrules: []\n", "name: a\nversion: 2\nrules: []\nx: y\n");
    assertThat(rows)
        .containsExactly(
            new SideBySideDiff.Row(1, "name: a", 1, "name: a", "same"),
            new SideBySideDiff.Row(2, "version: 1", 2, "version: 2", "changed"),
            new SideBySideDiff.Row(3, "rules: []", 3, "rules: []", "same"),
            new SideBySideDiff.Row(0, "", 4, "x: y", "added"),
            new SideBySideDiff.Row(4, "", 5, "", "same"));
  }

  @Test
  void aRemovedLineInTheMiddleKeepsTheRestPaired() {
    List<SideBySideDiff.Row> rows = SideBySideDiff.of("a\nb\nc\nd", "a\nc\nd");
    assertThat(rows)
        .extracting(SideBySideDiff.Row::kind)
        .containsExactly("same", "removed", "same", "same");
    assertThat(rows.get(2)).isEqualTo(new SideBySideDiff.Row(3, "c", 2, "c", "same"));
  }

  @Test
  void identicalTextsAreAllSameAndEveryLineIsShownOnce() {
    String text =
        IntStream.range(0, 50).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    assertThat(SideBySideDiff.of(text, text))
        .hasSize(50)
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo("same"));
  }

  @Test
  void aMiddleTooLargeToCompareIsShownRemovedThenAddedWithoutLosingALine() {
    int n = (int) Math.sqrt(SideBySideDiff.MAX_CELLS) + 10;
    String left = IntStream.range(0, n).mapToObj(i -> "l" + i).collect(Collectors.joining("\n"));
    String right = IntStream.range(0, n).mapToObj(i -> "r" + i).collect(Collectors.joining("\n"));
    List<SideBySideDiff.Row> rows = SideBySideDiff.of("head\n" + left, "head\n" + right);
    assertThat(rows).hasSize(n + 1);
    assertThat(rows.get(0).kind()).isEqualTo("same");
    assertThat(rows.subList(1, rows.size()))
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo("changed"));
    assertThat(rows.get(n))
        .isEqualTo(new SideBySideDiff.Row(n + 1, "l" + (n - 1), n + 1, "r" + (n - 1), "changed"));
  }
}
