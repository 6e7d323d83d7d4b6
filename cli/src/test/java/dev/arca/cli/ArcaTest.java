// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ArcaTest {

  @Test
  void unknownCommandIsAUsageError() {
    StringWriter err = new StringWriter();
    var cli = Arca.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("no-such-command")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("no-such-command");
  }

  @Test
  void helpListsUsage() {
    StringWriter out = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("Usage: arca");
  }

  @Test
  void versionNamesTheBuildAndItsCommit() {
    StringWriter out = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--version")).isEqualTo(ExitCode.OK);
    assertThat(out.toString().strip())
        .matches("arca \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,}(\\+changes)?\\)");
  }

  @Test
  void completionCompletesEveryCommandAndOption() {
    StringWriter out = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("completion")).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .contains("complete -F _complete_arca")
        .contains("function _picocli_arca_model_seal()")
        .contains("--data-key-out")
        .contains("function _picocli_arca_audit_verify()");
  }
}
