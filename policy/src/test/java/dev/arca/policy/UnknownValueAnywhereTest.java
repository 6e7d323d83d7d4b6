// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A comparison of an enumerated variable with a value it can never hold is refused wherever it is
 * written: either side of {@code ==}, {@code !=} or {@code in}, and nested inside lists, maps,
 * member calls, field selections and macros. Such a typo would otherwise silently turn a forbid
 * rule off.
 */
class UnknownValueAnywhereTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "evidence.earStatus == 'afirming'",
        "'afirming' == evidence.earStatus",
        "evidence.earStatus != 'afirming'",
        "'afirming' != evidence.earStatus",
        "evidence.earStatus in ['warning', 'afirming']",
        "[evidence.earStatus == 'afirming'][0]",
        "[evidence.earStatus == 'afirming'].size() == 1",
        "{'k': evidence.earStatus == 'afirming'}['k']",
        "{evidence.earStatus == 'afirming': true}[true]",
        "{'k': evidence.earStatus == 'afirming'}.k",
        "[1].exists(x, evidence.earStatus == 'afirming')",
        "[evidence.earStatus == 'afirming'].exists(x, x)",
      })
  void isRefusedWhereverItIsWritten(String condition) {
    assertThatThrownBy(
            () ->
                PolicyLoader.parse(
                    TestInputs.policy(TestInputs.rule("r", "forbid", condition)), "p.yaml"))
        .isInstanceOfSatisfying(
            PolicyLoadException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              assertThat(e.problems().get(0).id()).isEqualTo(PolicyProblem.UNKNOWN_VALUE);
              assertThat(e.problems().get(0).message())
                  .contains("evidence.earStatus is never 'afirming'");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'affirming' == evidence.earStatus",
        "{'k': evidence.earStatus == 'warning'}.k",
        "[1].exists(x, evidence.earStatus in ['none', 'contraindicated'])",
        // Only comparisons are checked: other calls may combine the variable with any string.
        "evidence.earStatus + '-x' == 'affirming-x'",
        "evidence.earStatus < 'b'",
      })
  void valuesItCanHoldAreAccepted(String condition) throws Exception {
    assertThat(
            PolicyLoader.parse(
                    TestInputs.policy(TestInputs.rule("r", "forbid", condition)), "p.yaml")
                .rules())
        .hasSize(1);
  }
}
