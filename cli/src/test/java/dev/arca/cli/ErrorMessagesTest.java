// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors a person sees name what failed and what to do, never an exception's class name. */
class ErrorMessagesTest {
  private final CliRun cli = new CliRun();

  private void assertNoClassName(String output) {
    assertThat(output).doesNotContainPattern("[A-Za-z]+Exception").doesNotContain("java.");
  }

  @Test
  void aServiceThatDoesNotAnswerIsNamedWithWhatToCheck() {
    assertThat(cli.execute("audit", "verify", "--service", "http://127.0.0.1:9"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("connection refused").contains("--service");
    assertNoClassName(cli.out() + cli.err());
  }

  @Test
  void aMissingPolicyFileIsNamed(@TempDir Path dir) {
    String missing = dir.resolve("missing.yaml").toString();
    assertThat(cli.execute("policy", "lint", missing)).isNotEqualTo(ExitCode.OK);
    assertThat(cli.out() + cli.err()).contains(missing).contains("no such file");
    assertNoClassName(cli.out() + cli.err());
  }
}
