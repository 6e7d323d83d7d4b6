// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs {@code arca policy ...} exactly as users do, on the real sample policies. */
class PolicyCommandTest {

  static final Path SAMPLES = Path.of("..", "policy", "samples");

  record Run(int exit, String out, String err) {}

  static Run arca(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hipaa-phi", "payment-pci", "research-synthetic"})
  void everySamplePassesItsFixtures(String name) {
    Run r =
        arca(
            "policy",
            "test",
            SAMPLES.resolve(name + ".yaml").toString(),
            "--fixtures",
            SAMPLES.resolve(name + "-fixtures").toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("RESULT", "PASS").doesNotContain("FAIL").contains(" 0 failed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hipaa-phi", "payment-pci", "research-synthetic"})
  void everySampleLints(String name) {
    Run r = arca("policy", "lint", SAMPLES.resolve(name + ".yaml").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("ok: policy " + name + " v1");
  }

  @Test
  void aWrongFixtureFailsWithAReadableDiff(@TempDir Path dir) throws Exception {
    // The real fixture for the dev attester, with its expectation turned around.
    Path fixtures = dir.resolve("fixtures");
    Files.createDirectories(fixtures);
    String right =
        Files.readString(SAMPLES.resolve("hipaa-phi-fixtures/deny-dev-attester-phi.yaml"));
    String wrong =
        right
            .replace("effect: deny", "effect: permit")
            .replace("- software-attester-for-sensitive-data", "- phi-at-hospital-sites");
    assertThat(wrong).isNotEqualTo(right);
    Files.writeString(fixtures.resolve("wrong.yaml"), wrong);
    Files.copy(
        SAMPLES.resolve("hipaa-phi-fixtures/permit-hospital-workstation.yaml"),
        fixtures.resolve("right.yaml"));

    Run r =
        arca(
            "policy",
            "test",
            SAMPLES.resolve("hipaa-phi.yaml").toString(),
            "--fixtures",
            fixtures.toString());

    assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
    assertThat(r.out())
        .contains("FAIL    the dev software attester never gets PHI")
        .contains("PASS    TPM workstation")
        .contains("--- FAIL: the dev software attester never gets PHI")
        .contains("effect: expected permit, got deny")
        .contains("- expected but did not match: phi-at-hospital-sites")
        .contains("+ matched but not expected:   software-attester-for-sensitive-data")
        .contains("forbid software-attester-for-sensitive-data")
        .contains("1 passed, 1 failed");
  }

  @Test
  void lintReportsEveryProblemWithItsLocation(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: arca.dev/v1alpha1
        kind: Policy
        metadata: {name: bad, version: 1}
        rules:
          - name: typo-in-field
            effect: forbid
            when: device.sitee == 'x'
          - name: wrong-type
            effect: permit
            when: model.version == 'three'
        """);
    Run r = arca("policy", "lint", bad.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
    assertThat(r.err())
        .contains(
            bad + ":7:17: error [policy.cel.type]: rule 'typo-in-field': undefined field 'sitee'")
        .contains(bad + ":10:") // the == in line 10
        .contains("[policy.cel.type]: rule 'wrong-type'")
        .contains("2 problem(s)");
  }

  @Test
  void explainPrintsEveryRuleOutcome() {
    Run r =
        arca(
            "policy",
            "explain",
            SAMPLES.resolve("payment-pci.yaml").toString(),
            "--input",
            SAMPLES.resolve("payment-pci-fixtures/deny-dev-attester.yaml").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out())
        .startsWith("policy payment-pci v1: DENY (forbidden by software-attester-for-card-data,")
        .contains("error, counts as matched: ")
        .contains("payment-pci.yaml:33:55: key 'hardware' not found")
        .contains("permit cde-confidential-vms")
        .contains("obligations: none");
  }

  @Test
  void missingFileIsAnIoError(@TempDir Path dir) {
    Run r = arca("policy", "lint", dir.resolve("nope.yaml").toString());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("[policy.io]").contains("nope.yaml");
  }

  @Test
  void testNeedsFixtures() {
    Run r = arca("policy", "test", SAMPLES.resolve("hipaa-phi.yaml").toString());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--fixtures");
  }

  @Test
  void samplesDirectoryHasAFixtureDirectoryPerPolicy() throws Exception {
    try (Stream<Path> s = Files.list(SAMPLES)) {
      s.filter(p -> p.toString().endsWith(".yaml"))
          .forEach(
              p ->
                  assertThat(
                          SAMPLES.resolve(p.getFileName().toString().replace(".yaml", "-fixtures")))
                      .isDirectory());
    }
  }

  @Test
  void schemaPrintsWhatTheSamplesNameForEditors() throws Exception {
    for (boolean fixture : new boolean[] {false, true}) {
      Run r = fixture ? arca("policy", "schema", "--fixture") : arca("policy", "schema");
      assertThat(r.exit()).isEqualTo(ExitCode.OK);
      com.fasterxml.jackson.databind.JsonNode schema =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
      assertThat(schema.path("$schema").asText()).contains("json-schema.org");
      // Each sample's first line points editors at the same schema file.
      try (var files = java.nio.file.Files.walk(SAMPLES)) {
        for (Path f :
            files
                .filter(p -> p.toString().endsWith(".yaml"))
                .filter(
                    p -> p.getParent().getFileName().toString().endsWith("-fixtures") == fixture)
                .toList()) {
          String first = java.nio.file.Files.readAllLines(f).get(0);
          assertThat(first).as(f.toString()).startsWith("# yaml-language-server: $schema=");
          Path named = f.getParent().resolve(first.substring(first.indexOf('=') + 1));
          assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(named.toFile()))
              .as("%s names the schema arca policy schema prints", f)
              .isEqualTo(schema);
        }
      }
    }
  }

  @Test
  void testWritesJunitXmlForCiSystems(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path xml = dir.resolve("policy-tests.xml");
    Run r =
        arca(
            "policy",
            "test",
            SAMPLES.resolve("hipaa-phi.yaml").toString(),
            "--fixtures",
            SAMPLES.resolve("hipaa-phi-fixtures").toString(),
            "--junit",
            xml.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
    var doc =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(xml.toFile());
    var suite = doc.getDocumentElement();
    long fixtures;
    try (var files = java.nio.file.Files.list(SAMPLES.resolve("hipaa-phi-fixtures"))) {
      fixtures = files.filter(p -> p.toString().endsWith(".yaml")).count();
    }
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("name")).isEqualTo("policy hipaa-phi v1");
    assertThat(suite.getAttribute("tests")).isEqualTo(Long.toString(fixtures));
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo((int) fixtures);
    assertThat(doc.getElementsByTagName("failure").getLength()).isZero();
  }
}
