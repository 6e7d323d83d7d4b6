// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture files: loading, located problems, and how {@link PolicyTester} reports differences. */
class FixturesTest {

  static final Path PHI = Path.of("samples", "hipaa-phi.yaml");
  static final Path PHI_FIXTURES = Path.of("samples", "hipaa-phi-fixtures");

  static String sample(String name) throws Exception {
    return Files.readString(PHI_FIXTURES.resolve(name));
  }

  static List<PolicyProblem> problems(String yaml) {
    try {
      FixtureLoader.parse(yaml, "f.yaml", "f");
    } catch (PolicyLoadException e) {
      return e.problems();
    }
    throw new AssertionError("expected the fixture to be refused");
  }

  @Test
  void aSampleFixtureLoadsCompletely() throws Exception {
    PolicyFixture f =
        FixtureLoader.load(
            PHI_FIXTURES.resolve("permit-ed-cart-most-restrictive-obligations.yaml"));
    assertThat(f.input().device().deviceClass()).isEqualTo("ed-cart");
    assertThat(f.input().evidence().tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(f.input().evidence().trustVector()).containsEntry("hardware", 2);
    assertThat(f.input().model().dataClasses()).containsExactly("phi", "deidentified");
    assertThat(f.expectedVerdict()).isEqualTo(Verdict.PERMIT);
    assertThat(f.expectedMatched())
        .hasValue(List.of("phi-at-hospital-sites", "phi-emergency-department"));
    assertThat(f.expectedObligations().orElseThrow().toString())
        .isEqualTo(
            "leaseLength=8h, offlineAllowance=12h, maxRequestsPerMinute=600,"
                + " reattestationInterval=1h");
  }

  @Test
  void nameDefaultsToTheFileName(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("my-case.yaml");
    Files.writeString(f, sample("deny-unknown-site.yaml").replaceFirst("name: .*\n", ""));
    assertThat(FixtureLoader.load(f).name()).isEqualTo("my-case");
  }

  @Test
  void misspeltInputFieldIsLocated() throws Exception {
    String yaml =
        sample("deny-unknown-site.yaml").replace("    hardwareRooted:", "    hardwareRoted:");
    List<PolicyProblem> ps = problems(yaml);
    assertThat(ps).extracting(PolicyProblem::id).containsOnly(FixtureLoader.SCHEMA);
    assertThat(ps)
        .anySatisfy(p -> assertThat(p.message()).contains("unknown field 'hardwareRoted'"));
    int line = lineOf(yaml, "hardwareRoted");
    assertThat(ps)
        .anySatisfy(p -> assertThat(p.location()).isEqualTo(new SourceLocation("f.yaml", line, 5)));
  }

  @Test
  void badEnumeratedValueIsASchemaProblem() throws Exception {
    String yaml =
        sample("deny-unknown-site.yaml").replace("earStatus: affirming", "earStatus: fine");
    assertThat(problems(yaml))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo(FixtureLoader.SCHEMA);
              assertThat(p.location().line()).isEqualTo(lineOf(yaml, "earStatus: fine"));
            });
  }

  @Test
  void badTimeIsLocated() throws Exception {
    String yaml =
        sample("deny-unknown-site.yaml")
            .replace("time: '2026-11-25T12:00:00Z'", "time: '2026-13-45T12:00:00Z'");
    assertThat(problems(yaml))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo(FixtureLoader.INPUT);
              assertThat(p.location().line()).isEqualTo(lineOf(yaml, "time: '2026-13-45"));
            });
  }

  @Test
  void emptyFixtureDirectoryIsAnError(@TempDir Path dir) {
    assertThatThrownBy(() -> FixtureLoader.loadDirectory(dir))
        .isInstanceOfSatisfying(
            PolicyLoadException.class,
            e -> assertThat(e.problems().get(0).message()).contains("no fixture files"));
  }

  @Test
  void problemsOfEveryFileAreReported(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "input: [\n");
    Files.writeString(dir.resolve("b.yaml"), "expect: {effect: permit}\n");
    Files.writeString(dir.resolve("ignored.txt"), "not a fixture");
    assertThatThrownBy(() -> FixtureLoader.loadDirectory(dir))
        .isInstanceOfSatisfying(
            PolicyLoadException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(p -> Path.of(p.location().file()).getFileName().toString())
                  .contains("a.yaml", "b.yaml");
              assertThat(e.problems())
                  .extracting(PolicyProblem::id)
                  .contains(FixtureLoader.YAML, FixtureLoader.SCHEMA);
            });
  }

  @Test
  void testerReportsEveryKindOfDifference() throws Exception {
    Policy policy = PolicyLoader.load(PHI);
    String yaml =
        sample("permit-hospital-workstation.yaml")
            .replace("effect: permit", "effect: deny")
            .replace("- phi-at-hospital-sites", "- phi-at-hospital-sites\n  - renamed-rule")
            .replace("leaseLength: 24h", "leaseLength: 12h");
    PolicyFixture f = FixtureLoader.parse(yaml, "f.yaml", "f");
    PolicyTestReport report = PolicyTester.run(policy, List.of(f));
    assertThat(report.passed()).isFalse();
    assertThat(report.failed()).isEqualTo(1);
    FixtureResult r = report.results().get(0);
    assertThat(r.differences())
        .anySatisfy(d -> assertThat(d).isEqualTo("effect: expected deny, got permit"))
        .anySatisfy(d -> assertThat(d).contains("no rule named 'renamed-rule'"))
        .anySatisfy(d -> assertThat(d).contains("- expected but did not match: renamed-rule"))
        .anySatisfy(
            d ->
                assertThat(d)
                    .startsWith("obligations: expected leaseLength=12h")
                    .contains("got leaseLength=24h"));
    assertThat(report.render())
        .contains("FAIL    ")
        .contains("--- FAIL: ")
        .contains("policy hipaa-phi v1: PERMIT")
        .endsWith("0 passed, 1 failed\n");
    // The same result for a CI system: one testcase, failed, with every difference.
    org.w3c.dom.Document xml =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new java.io.ByteArrayInputStream(
                    JunitXml.of(report).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    org.w3c.dom.Element failure = (org.w3c.dom.Element) xml.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).isEqualTo("expected deny, got permit");
    assertThat(failure.getTextContent()).isEqualTo(String.join("\n", r.differences()));
    assertThat(((org.w3c.dom.Element) failure.getParentNode()).getAttribute("name"))
        .isEqualTo(r.fixture().name());
  }

  @Test
  void anEmptyRunDoesNotPass() throws Exception {
    assertThat(PolicyTester.run(PolicyLoader.load(PHI), List.of()).passed()).isFalse();
  }

  private static int lineOf(String text, String needle) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle + " not in text");
  }
}
