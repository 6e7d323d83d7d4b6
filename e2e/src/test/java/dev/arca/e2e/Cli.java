// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code arca} command line in-process, exactly as a user does, capturing its output. */
final class Cli {
  private volatile StringWriter out = new StringWriter();
  private volatile StringWriter err = new StringWriter();

  /** Runs one command with fresh output buffers and returns its exit code. */
  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Runs, asserts the exit code and returns the JSON printed. */
  JsonNode json(int expectedExit, String... args) throws Exception {
    int code = run(args);
    assertThat(code)
        .as("exit code of %s; stderr: %s", String.join(" ", args), err)
        .isEqualTo(expectedExit);
    return new ObjectMapper().readTree(out.toString());
  }

  /** Runs and asserts the exit code; returns stdout. */
  String ok(String... args) {
    int code = run(args);
    assertThat(code)
        .as("exit code of %s; stderr: %s", String.join(" ", args), err)
        .isEqualTo(ExitCode.OK);
    return out.toString();
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
