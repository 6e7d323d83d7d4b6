// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FigureTest {

  @Test
  void aFigureLineReadsBackWhatWasPrinted() {
    Figure f =
        new Figure("evidence-tpm2", "verifyQuote", 1101.5, "ops/s", "bareEcdsa", 2.6, "ratio<=1.5");
    assertThat(Figure.parse(f.line())).contains(f);
    assertThat(f.line()).startsWith("arca-bench\tevidence-tpm2\tverifyQuote\t1101.50\tops/s\t");
  }

  @Test
  void goalsOnTheRatioAndOnTheValueAreJudged() {
    assertThat(figure(2.6, "ratio<=1.5").met()).contains(false);
    assertThat(figure(1.5, "ratio<=1.5").met()).contains(true);
    assertThat(figure(1.0, "value<=1.0").met()).contains(true); // value is 1.0 too
    assertThat(figure(1.0, "value>=1000").met()).contains(false);
    assertThat(figure(Double.NaN, "ratio<=1.5").met()).isEmpty();
    assertThat(figure(2.0, "-").met()).isEmpty();
  }

  @Test
  void otherLinesAreNotFiguresAndBrokenFigureLinesAreRefused() {
    assertThat(Figure.parse("Benchmark  Mode  Cnt  Score")).isEmpty();
    assertThat(Figure.parse("arca-benchmarks are great")).isEmpty();
    assertThatThrownBy(() -> Figure.parse("arca-bench\tsuite\tname\t1.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 tab-separated fields");
    assertThatThrownBy(() -> Figure.parse("arca-bench\ts\tn\tfast\tms\t-\t-\t-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one");
    assertThatThrownBy(() -> Figure.parse("arca-bench\ts\tn\t1\tms\t-\t-\tspeed<=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("goal must be");
  }

  private static Figure figure(double ratio, String goal) {
    return new Figure("s", "n", 1.0, "ms", "b", ratio, goal);
  }
}
