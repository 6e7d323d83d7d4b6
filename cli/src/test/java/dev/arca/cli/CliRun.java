// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code arca} command line in-process, exactly as a user does, capturing its output. */
public final class CliRun {
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  /** Runs one command with fresh output buffers and returns its exit code. */
  public int execute(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** Runs one command, asserts its exit code and returns the JSON it printed. */
  public JsonNode json(int expectedExit, String... args) throws Exception {
    int code = execute(args);
    assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expectedExit);
    return new ObjectMapper().readTree(out.toString());
  }

  /**
   * Runs {@code arca evidence verify --format <format> --evidence <evidence> <options>}, asserts
   * its exit code and returns its JSON report.
   */
  public JsonNode verifyEvidence(
      int expectedExit, String format, java.nio.file.Path evidence, String... options)
      throws Exception {
    String[] head = {"evidence", "verify", "--format", format, "--evidence", evidence.toString()};
    String[] all = java.util.Arrays.copyOf(head, head.length + options.length);
    System.arraycopy(options, 0, all, head.length, options.length);
    return json(expectedExit, all);
  }

  public String out() {
    return out.toString();
  }

  public String err() {
    return err.toString();
  }
}
