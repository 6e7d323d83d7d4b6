// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.cli.Arca;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExploreGuideTest {
  private static final ExploreGuide.Stack STACK =
      new ExploreGuide.Stack(
          URI.create("http://127.0.0.1:41001"),
          "http://127.0.0.1:41002",
          "http://127.0.0.1:41002/realms/arca",
          URI.create("http://127.0.0.1:41003"),
          URI.create("http://127.0.0.1:41004"),
          Path.of("/tmp/arca-demo-1/config"),
          Instant.parse("2026-12-06T15:00:00Z"),
          Path.of("/tmp/arca-demo-1/input.pb"),
          "data_0",
          "phi",
          "/src/arca/arca");

  @Test
  void everyAddressUserAndCommandIsPrinted() {
    String block = String.join("\n", ExploreGuide.lines(STACK));
    assertThat(block)
        .contains("attestation service  http://127.0.0.1:41001")
        .contains("http://127.0.0.1:41001/q/health")
        .contains("http://127.0.0.1:41001/q/openapi")
        .contains("web console          http://127.0.0.1:41001/console")
        .contains("Keycloak             http://127.0.0.1:41002")
        .contains("http://127.0.0.1:41002/realms/arca/account")
        .contains("TPM runtime          http://127.0.0.1:41003")
        .contains("dev runtime          http://127.0.0.1:41004")
        .contains("export ARCA_CONFIG_DIR=/tmp/arca-demo-1/config")
        .contains("until 2026-12-06T15:00:00Z")
        .contains("curl http://127.0.0.1:41003/healthz")
        .contains("Ctrl-C stops everything");
    for (String user : ExploreGuide.USERS) {
      assertThat(block).contains(user + " / " + user + "-pw");
    }
    for (List<String> c : ExploreGuide.commands(STACK)) {
      assertThat(block).contains("  /src/arca/arca " + String.join(" ", c) + "\n");
    }
    assertThat(block)
        .contains("/src/arca/arca audit verify --service http://127.0.0.1:41001 --as auditor")
        .contains(
            "/src/arca/arca infer --runtime http://127.0.0.1:41003 --service"
                + " http://127.0.0.1:41001 --model demo-model --data-class phi --input"
                + " /tmp/arca-demo-1/input.pb --input-name data_0")
        .contains("login --issuer http://127.0.0.1:41002/realms/arca --as policy-admin");
  }

  @Test
  void aRunWithoutKeepEndsWithTheConsoleAndItsUsers() {
    String block = String.join("\n", ExploreGuide.console(STACK.service()));
    assertThat(block)
        .contains("Web console, for auditors and security teams: http://127.0.0.1:41001/console");
    for (String user : ExploreGuide.USERS) {
      assertThat(block).contains(user + " / " + user + "-pw");
    }
    assertThat(block).contains("./arca demo --keep");
  }

  @Test
  void everyCommandParsesWithTheRealCommandLineAndNamesAProfileOrItsTargets() {
    for (List<String> c : ExploreGuide.commands(STACK)) {
      CommandLine.ParseResult parsed = Arca.commandLine().parseArgs(c.toArray(new String[0]));
      CommandLine.ParseResult leaf = parsed;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      assertThat(leaf.commandSpec().qualifiedName(" "))
          .as("%s", c)
          .endsWith(
              String.join(
                  " ", c.subList(0, c.get(0).equals("infer") || c.get(0).equals("login") ? 1 : 2)));
      assertThat(leaf.hasMatchedOption("--as") || leaf.hasMatchedOption("--runtime"))
          .as("%s", c)
          .isTrue();
    }
  }

  @Test
  void withoutATpmOnlyTheDevRuntimeIsShownAndAsked() {
    ExploreGuide.Stack noTpm =
        new ExploreGuide.Stack(
            STACK.service(),
            STACK.keycloak(),
            STACK.realm(),
            null,
            STACK.devRuntime(),
            STACK.config(),
            STACK.tokensExpire(),
            STACK.input(),
            STACK.inputName(),
            "synthetic",
            "arca");
    String block = String.join("\n", ExploreGuide.lines(noTpm));
    assertThat(block)
        .doesNotContain("TPM runtime")
        .contains("arca infer --runtime http://127.0.0.1:41004")
        .contains("--data-class synthetic")
        .contains("curl http://127.0.0.1:41004/healthz");
  }

  @Test
  void unusualArgumentsAreQuotedForTheShell() {
    assertThat(ExploreGuide.shell(List.of("--input", "/tmp/my models/in'put.pb", "a=b")))
        .isEqualTo("--input '/tmp/my models/in'\\''put.pb' a=b");
  }
}
