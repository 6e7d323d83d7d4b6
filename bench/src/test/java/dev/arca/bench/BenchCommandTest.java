// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator on suites of this module's test classes, in JVMs of their own. */
class BenchCommandTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path out;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @Test
  void everySuiteRunsApartAndOneTableHoldsTheirFiguresGoalsCommitAndLoad() throws Exception {
    int exit = run(List.of(sample("sample", "ok")), "--out", out.toString());

    assertThat(exit).isZero();
    Path md = only(".md");
    String table = Files.readString(md);
    assertThat(table)
        .contains("| sample | verify | 2.50 ms | bare | 1.25 | ratio ≤ 1.5 | met |")
        .contains("| sample | appraise | 4.00 ms | bare | 2.00 | ratio ≤ 1.5 | **missed** |")
        .contains("Load average (1, 5, 15 min): ")
        .contains(Machine.current().cores() + " cores")
        .doesNotContain("JMH-like output");
    assertThat(md.getFileName().toString()).matches("\\d{8}-\\d{6}-[0-9a-f]{12}(-dirty)?\\.md");
    JsonNode json = new ObjectMapper().readTree(only(".json").toFile());
    assertThat(json.path("commit").asText()).matches("[0-9a-f]{12}(\\+dirty)?");
    assertThat(json.path("command").asText()).isEqualTo("./arca bench --out " + out);
    assertThat(json.path("machine").path("cores").asInt()).isPositive();
    assertThat(json.path("loadBefore").asText()).isNotBlank();
    JsonNode suite = json.path("suites").get(0);
    assertThat(suite.path("succeeded").asBoolean()).isTrue();
    assertThat(suite.path("figures")).hasSize(2);
    assertThat(suite.path("figures").get(1).path("ratio").asDouble()).isEqualTo(2.0);
    assertThat(suite.path("figures").get(1).path("met").asBoolean()).isFalse();
    assertThat(suite.path("command").asText())
        .isEqualTo(
            "(cd bench && java -Darca.bench.suite=sample"
                + " -cp \"target/test-classes:target/classes\""
                + " dev.arca.bench.SampleSuite ok)");
  }

  @Test
  void aFailingSuiteIsReportedWithItsLogAndTheRunGoesOnButExitsOne() throws Exception {
    int exit =
        run(List.of(sample("broken", "fail"), sample("sample", "ok")), "--out", out.toString());

    assertThat(exit).isEqualTo(1);
    String table = Files.readString(only(".md"));
    assertThat(table)
        .contains("| broken | **failed** (exit 3, 1 figures; log `broken.log`)")
        .contains("| sample | appraise |");
    Path logs;
    try (Stream<Path> files = Files.list(out)) {
      logs = files.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(logs.resolve("broken.log")).content().contains("the service did not start");
  }

  @Test
  void usageErrorsAndAnEmptySelectionExitTwoAndListShowsTheSuites() throws Exception {
    assertThat(run(List.of(sample("sample", "ok")), "--only", "(")).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("usage: ./arca bench");
    assertThat(run(List.of(sample("sample", "ok")), "--timeout")).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("--timeout needs a value");
    assertThat(run(List.of(sample("sample", "ok")), "--only", "nothing")).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("no suite matches");

    console.reset();
    assertThat(BenchCommand.run(new String[] {"--list"}, ROOT, print())).isZero();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("evidence-tpm2\t")
        .contains("service-attestation\t")
        .contains("runtime\t");
  }

  @Test
  void aSuiteWhoseClassPathIsNotBuiltNamesTheBuild() throws Exception {
    Suite unbuilt =
        new Suite(
            "unbuilt",
            "bench",
            SampleSuite.class.getName(),
            List.of(),
            List.of("@target/no-such-classpath.txt"),
            List.of(),
            "a suite whose class path file is missing");
    assertThat(run(List.of(unbuilt), "--out", out.toString())).isEqualTo(1);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("no-such-classpath.txt is missing: ./arca bench builds every suite");
    assertThat(Files.readString(only(".md"))).contains("| unbuilt | **failed** (exit -1");
  }

  private int run(List<Suite> suites, String... args) throws Exception {
    return BenchCommand.run(args, ROOT, print(), suites);
  }

  private PrintStream print() {
    return new PrintStream(console, true, StandardCharsets.UTF_8);
  }

  private static Suite sample(String name, String mode) {
    return new Suite(
        name,
        "bench",
        SampleSuite.class.getName(),
        List.of(mode),
        List.of("target/test-classes", "target/classes"),
        List.of(),
        "a sample suite");
  }

  private Path only(String extension) throws Exception {
    try (Stream<Path> files = Files.list(out)) {
      List<Path> found = files.filter(p -> p.toString().endsWith(extension)).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }
}
